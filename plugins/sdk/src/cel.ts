import { Environment } from '@marcbachmann/cel-js';

/**
 * CEL for conditions, keys and times (DESIGN §3): one environment declaring the four variables a
 * journey sees, parsed expressions cached by text.
 */
const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false })
  .registerVariable('customer', 'map')
  .registerVariable('event', 'map')
  .registerVariable('run', 'map')
  .registerVariable('now', 'google.protobuf.Timestamp');

/** The variables an expression may use, for error messages and the editor. */
export const CEL_VARIABLES = ['customer', 'event', 'run', 'now'] as const;

export interface CelScope {
  customer: Record<string, unknown>;
  event: Record<string, unknown> | null;
  run: Record<string, unknown>;
  now: Date;
}

type Compiled = (scope: Record<string, unknown>) => unknown;
const cache = new Map<string, Compiled>();
const MAX_CACHE = 10_000;

export type CelCheck = { ok: true } | { ok: false; message: string; offset: number };

/** Parses and type-checks an expression; the offset points into the expression text. */
export function checkCel(expression: string): CelCheck {
  try {
    const parsed = env.parse(expression);
    const checked = parsed.check();
    if (!checked.valid) {
      return {
        ok: false,
        message: firstLine(checked.error?.message ?? 'invalid expression'),
        offset: errorOffset(checked.error),
      };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, message: firstLine(messageOf(error)), offset: errorOffset(error) };
  }
}

/** A node of a parsed expression: an operator (`&&`, `==`, `.`, `value`, `call`…) and its arguments. */
export interface CelNode {
  op: string;
  args: unknown;
}

/** The syntax tree of an expression (for tools that read expressions back, such as the segment builder); null if it does not parse. */
export function celSyntax(expression: string): CelNode | null {
  try {
    return (env.parse(expression) as unknown as { ast: CelNode }).ast;
  } catch {
    return null;
  }
}

export type CelValue = { ok: true; value: unknown } | { ok: false; error: string };

/** Evaluates an expression; a missing key or a type clash is an error result, never a throw. */
export function evaluateCel(expression: string, scope: CelScope): CelValue {
  try {
    return { ok: true, value: fromCel(compiled(expression)(toScope(scope))) };
  } catch (error) {
    return { ok: false, error: firstLine(messageOf(error)) };
  }
}

/**
 * A condition: true only when the expression evaluates to `true`. Anything else (an error, a
 * missing attribute, a non-boolean) counts as false, with the reason returned for the history.
 */
export function evaluateCondition(expression: string, scope: CelScope): { result: boolean; reason?: string } {
  const r = evaluateCel(expression, scope);
  if (!r.ok) return { result: false, reason: r.error };
  if (typeof r.value !== 'boolean') {
    return { result: false, reason: `condition gave ${JSON.stringify(r.value)}, not true or false` };
  }
  return { result: r.value };
}

function compiled(expression: string): Compiled {
  let fn = cache.get(expression);
  if (!fn) {
    fn = env.parse(expression) as unknown as Compiled;
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(expression, fn);
  }
  return fn;
}

function toScope(scope: CelScope): Record<string, unknown> {
  return { customer: scope.customer, event: scope.event ?? {}, run: scope.run, now: scope.now };
}

/** CEL integers are BigInt; JSON and the rest of Tend use numbers. */
function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() || message;
}

function errorOffset(error: unknown): number {
  const node = (error as { node?: { pos?: number; start?: number } } | undefined)?.node;
  return node?.pos ?? node?.start ?? 0;
}
