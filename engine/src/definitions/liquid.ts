import { LIQUID_LIMITS } from '@tend/plugin-sdk';
import { Liquid } from 'liquidjs';

/**
 * Liquid for strings inside `with:` (DESIGN §3). Strict about filters so a typo is an error at
 * validation time; lenient about missing variables, which render empty as marketers expect.
 * Bounded in time and memory: a runaway loop fails the step as a template error.
 */
export const liquid = new Liquid({
  ...LIQUID_LIMITS,
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  cache: 1000,
});

const TEMPLATE = /\{\{|\{%/;

/** True when a string uses Liquid at all (most `with:` values are plain). */
export const isTemplate = (value: string): boolean => TEMPLATE.test(value);

/** The parse error of a template, or null. */
export function checkTemplate(value: string): string | null {
  try {
    liquid.parse(value);
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'invalid template';
  }
}

/** Renders every template string inside a `with:` value, keeping the rest as it is. */
export async function renderConfig(value: unknown, scope: Record<string, unknown>): Promise<unknown> {
  if (typeof value === 'string') {
    return isTemplate(value) ? liquid.parseAndRender(value, scope) : value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => renderConfig(v, scope)));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await renderConfig(v, scope)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** Same as renderConfig, synchronously (for inline steps inside a transition). */
export function renderConfigSync(value: unknown, scope: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    return isTemplate(value) ? liquid.parseAndRenderSync(value, scope) : value;
  }
  if (Array.isArray(value)) return value.map((v) => renderConfigSync(v, scope));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderConfigSync(v, scope)]));
  }
  return value;
}

/** Each template string inside a value, with its path. */
export function* templatesIn(
  value: unknown,
  path: (string | number)[] = [],
): Generator<{ path: (string | number)[]; text: string }> {
  if (typeof value === 'string') {
    if (isTemplate(value)) yield { path, text: value };
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* templatesIn(v, [...path, i]);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* templatesIn(v, [...path, k]);
  }
}
