const formatters = new Map<string, Intl.DateTimeFormat>();

/** The Chinese-calendar date (ICU) of the civil date at `instant` in `zone`. */
export function chineseDate(instant: Date, zone: string): { month: number; day: number; leap: boolean } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-u-ca-chinese', { timeZone: zone, month: 'numeric', day: 'numeric' });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  // A leap month is written "6bis" (the intercalary month after the 6th).
  const month = String(parts.month ?? '');
  return { month: Number.parseInt(month, 10), day: Number(parts.day), leap: month.endsWith('bis') };
}
