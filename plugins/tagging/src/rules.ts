import type { StepCustomer } from '@tend/plugin-sdk';

/**
 * A tag that follows a value on the customer: `<prefix><value>` for the value's current form
 * (stage, RFM segment, loyalty tier, an attribute), or for the tier a number falls in (spend).
 * Other tags with the prefix are removed, so the customer carries exactly one.
 */
export interface TagRule {
  prefix: string;
  /** `stage`, `rfm.segment`, `loyalty.tier`, or `attributes.<name>` (a dotted path). */
  source: string;
  /** For numbers: the tier names from the lowest, each from `min` up. */
  tiers?: { name: string; min: number }[];
}

/** The tags a customer should carry under each rule's prefix (null: none under it). */
export function desiredTags(customer: StepCustomer, rules: TagRule[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const rule of rules) out.set(rule.prefix, tagFor(customer, rule));
  return out;
}

function tagFor(customer: StepCustomer, rule: TagRule): string | null {
  const value = rule.source
    .split('.')
    .reduce<unknown>(
      (at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined),
      customer,
    );
  if (rule.tiers) {
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (Number.isNaN(n)) return null;
    const tier = [...rule.tiers]
      .sort((a, b) => a.min - b.min)
      .filter((t) => n >= t.min)
      .at(-1);
    return tier ? `${rule.prefix}${slug(tier.name)}` : null;
  }
  if (value === null || value === undefined || value === '' || typeof value === 'object') return null;
  return `${rule.prefix}${slug(String(value))}`;
}

const slug = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s,]+/g, '-');

/** The change that brings a customer's tags in line with the rules. */
export function tagChange(customer: StepCustomer, rules: TagRule[]): { add: string[]; remove: string[] } {
  const add: string[] = [];
  const remove: string[] = [];
  for (const [prefix, tag] of desiredTags(customer, rules)) {
    for (const t of customer.tags) if (t.startsWith(prefix) && t !== tag) remove.push(t);
    if (tag && !customer.tags.includes(tag)) add.push(tag);
  }
  return { add, remove };
}
