/**
 * The best of `available` for a customer's locale: the exact tag, else one of the same language
 * (zh-TW → zh-CN, en-GB → en), else the installation's default, else any.
 */
export function pickLocale(available: string[], wanted: string | null, fallback: string): string | null {
  if (available.length === 0) return null;
  const lower = (s: string) => s.toLowerCase();
  const language = (s: string) => lower(s).split('-')[0];
  for (const candidate of [wanted, fallback]) {
    if (!candidate) continue;
    const exact = available.find((a) => lower(a) === lower(candidate));
    if (exact) return exact;
    const sameLanguage = available.find((a) => language(a) === language(candidate));
    if (sameLanguage) return sameLanguage;
  }
  return available.includes('en') ? 'en' : (available[0] ?? null);
}
