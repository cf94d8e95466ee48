/**
 * Bounds for every Liquid engine in Tend and its plugins (liquidjs options). Templates come from
 * workflow files and message templates that people edit, and render with customer and event
 * data: `{% for i in (1..100000000) %}` must fail in a moment with an error that says why, not
 * hold a worker (or, for inline steps, a transaction) for minutes and exhaust memory.
 */
export const LIQUID_LIMITS = {
  /** Characters of template source parsed per parse (a compiled email is ~100 KB). */
  parseLimit: 1_000_000,
  /** Milliseconds one render may take; checked between template nodes. */
  renderLimit: 1_000,
  /** Allocation units (range items, string and array lengths made by filters) per render. */
  memoryLimit: 10_000_000,
} as const;
