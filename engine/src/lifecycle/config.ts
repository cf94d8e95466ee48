import { readFile } from 'node:fs/promises';
import { schemaProblem } from '@tend/plugin-sdk';
import { durationMs, parseDuration } from '@tend/plugin-sdk/time';
import { Ajv } from 'ajv';
import { issueAt, parseYaml } from '../definitions/yaml-source.ts';
import type { ValidationIssue } from '../errors.ts';
import type { StageRule as StoreStageRule } from '../store/customer-stages.ts';

/** When a stage applies: every condition given must hold. */
export interface StageRule {
  id: string;
  description?: string;
  when: {
    ordersAtLeast?: number;
    ordersAtMost?: number;
    /** An order within this long. */
    lastOrderWithin?: string;
    /** No order for at least this long (customers with no order at all count too). */
    noOrderFor?: string;
    /** The customer signed up within this long. */
    signedUpWithin?: string;
    /** The customer's current stage is one of these. */
    was?: string[];
  };
}

/** `workflows/lifecycle.yaml`: how purchases are recognised and lifecycle stages decided. */
export interface LifecycleConfig {
  orders: { event: string; amount: string };
  stages: StageRule[];
  /** Cron (installation time zone) for the full recompute of RFM, ABC and stages. */
  recompute: string;
}

export const DEFAULT_LIFECYCLE: LifecycleConfig = {
  orders: { event: 'order.placed', amount: 'amount' },
  stages: [
    { id: 'won-back', when: { was: ['churned', 'won-back'], lastOrderWithin: '30d' } },
    { id: 'new', when: { ordersAtMost: 0 } },
    { id: 'active', when: { lastOrderWithin: '60d' } },
    { id: 'at-risk', when: { lastOrderWithin: '180d' } },
    { id: 'churned', when: {} },
  ],
  recompute: '0 3 * * *',
};

const duration = { type: 'string', minLength: 2 };
const schema = {
  type: 'object',
  properties: {
    orders: {
      type: 'object',
      properties: {
        event: { type: 'string', pattern: '^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*$' },
        amount: { type: 'string', minLength: 1 },
      },
      required: ['event', 'amount'],
      additionalProperties: false,
    },
    stages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
          description: { type: 'string' },
          when: {
            type: 'object',
            properties: {
              ordersAtLeast: { type: 'integer', minimum: 0 },
              ordersAtMost: { type: 'integer', minimum: 0 },
              lastOrderWithin: duration,
              noOrderFor: duration,
              signedUpWithin: duration,
              was: { type: 'array', items: { type: 'string' }, minItems: 1 },
            },
            additionalProperties: false,
          },
        },
        required: ['id', 'when'],
        additionalProperties: false,
      },
    },
    recompute: { type: 'string', minLength: 9 },
  },
  additionalProperties: false,
};
const check = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Reads the lifecycle file; a missing file means the defaults. Problems come back located. */
export async function loadLifecycle(
  file: string,
): Promise<{ ok: true; config: LifecycleConfig } | { ok: false; issues: ValidationIssue[] }> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return { ok: true, config: DEFAULT_LIFECYCLE };
  return parseLifecycle(text);
}

export function parseLifecycle(
  text: string,
): { ok: true; config: LifecycleConfig } | { ok: false; issues: ValidationIssue[] } {
  const source = parseYaml(text);
  if (source.issues.length > 0) return { ok: false, issues: source.issues };
  if (!check(source.value)) {
    const issues = (check.errors ?? []).flatMap((e) => {
      const problem = schemaProblem(e);
      if (problem === null) return [];
      const path = e.instancePath
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      return [issueAt(source, path, `${path.join('.') || 'lifecycle'}: ${problem}`)];
    });
    return { ok: false, issues };
  }
  const value = source.value as Partial<LifecycleConfig>;
  const config: LifecycleConfig = {
    orders: value.orders ?? DEFAULT_LIFECYCLE.orders,
    stages: value.stages ?? DEFAULT_LIFECYCLE.stages,
    recompute: value.recompute ?? DEFAULT_LIFECYCLE.recompute,
  };
  const issues: ValidationIssue[] = [];
  const ids = new Set(config.stages.map((s) => s.id));
  for (const [i, stage] of config.stages.entries()) {
    for (const key of ['lastOrderWithin', 'noOrderFor', 'signedUpWithin'] as const) {
      const d = stage.when[key];
      if (d !== undefined && !parseDuration(d).ok)
        issues.push(issueAt(source, ['stages', i, 'when', key], `"${d}" is not a duration`));
    }
    for (const was of stage.when.was ?? []) {
      if (!ids.has(was))
        issues.push(issueAt(source, ['stages', i, 'when', 'was'], `"${was}" is not a stage of this file`));
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config };
}

/** The stage rules as the store turns them into SQL: durations in milliseconds. */
export function stageRules(config: LifecycleConfig): StoreStageRule[] {
  const ms = (d: string | undefined) => (d === undefined ? undefined : durationMs(d));
  return config.stages.map(({ id, when: w }) => ({
    id,
    ordersAtLeast: w.ordersAtLeast,
    ordersAtMost: w.ordersAtMost,
    lastOrderWithinMs: ms(w.lastOrderWithin),
    noOrderForMs: ms(w.noOrderFor),
    signedUpWithinMs: ms(w.signedUpWithin),
    was: w.was,
  }));
}
