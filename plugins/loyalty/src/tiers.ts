/** A tier and the points ever earned from which it applies. */
export interface Tier {
  name: string;
  min: number;
}

/** `member:0,silver:1000`: tier names and the points earned from which each applies, lowest first. */
export function parseTiers(raw: string): { tiers: Tier[]; problems: string[] } {
  const problems: string[] = [];
  const tiers: Tier[] = [];
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z][a-z0-9-]*):(\d+)$/.exec(item);
    if (m) tiers.push({ name: m[1] as string, min: Number(m[2]) });
    else problems.push(`TEND_LOYALTY_TIERS: "${item}" is not name:points (e.g. gold:5000)`);
  }
  tiers.sort((a, b) => a.min - b.min);
  if (problems.length === 0 && tiers[0]?.min !== 0)
    problems.push('TEND_LOYALTY_TIERS: the lowest tier must start at 0');
  return { tiers, problems };
}

/** The tier of a customer who earned this many points. */
export function tierOf(tiers: readonly Tier[], earned: number): string {
  return tiers.reduce((tier, t) => (earned >= t.min ? t.name : tier), tiers[0]?.name ?? 'member');
}
