const formatters = new Map<string, { chinese: Intl.DateTimeFormat; civil: Intl.DateTimeFormat }>();

/**
 * Months where ICU's computed Chinese calendar differs from the official one (Purple Mountain
 * Observatory, as published by the Hong Kong Observatory): ICU puts these new moons, which fall
 * close to midnight Beijing time, on the wrong day, so the month starts a day early or late (and
 * in 1917, 1922 and 1987 the leap month lands elsewhere). Each row: the Gregorian days affected,
 * the official month and the official day of the first of them (and whether the month is a leap
 * month). Found by comparing every day from 1901 to 2099 with the official tables; everything
 * else ICU gets right. Spring Festival 2027 is 6 February and 2030 is 3 February, not the 7th
 * and 2nd.
 */
const CORRECTIONS: [from: string, to: string, month: number, firstDay: number, leap?: boolean][] = [
  ['1917-03-23', '1917-04-20', 2, 1, true],
  ['1917-04-21', '1917-05-20', 3, 1],
  ['1922-06-25', '1922-07-23', 5, 1, true],
  ['1922-07-24', '1922-08-22', 6, 1],
  ['1954-02-03', '1954-03-04', 1, 1],
  ['1955-02-22', '1955-03-23', 2, 1],
  ['1987-07-26', '1987-08-23', 6, 1, true],
  ['1987-08-24', '1987-09-22', 7, 1],
  ['1999-01-17', '1999-02-15', 12, 1],
  ['2012-08-17', '2012-09-15', 7, 1],
  ['2018-11-07', '2018-11-07', 9, 30],
  ['2018-11-08', '2018-12-06', 10, 1],
  ['2027-02-06', '2027-03-07', 1, 1],
  ['2030-02-02', '2030-02-02', 12, 30],
  ['2030-02-03', '2030-03-03', 1, 1],
  ['2070-03-12', '2070-04-10', 2, 1],
];
const DAY = 86_400_000;

/** The Chinese-calendar date of the civil date at `instant` in `zone`. */
export function chineseDate(instant: Date, zone: string): { month: number; day: number; leap: boolean } {
  let f = formatters.get(zone);
  if (!f) {
    f = {
      chinese: new Intl.DateTimeFormat('en-u-ca-chinese', {
        timeZone: zone,
        month: 'numeric',
        day: 'numeric',
      }),
      civil: new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }),
    };
    formatters.set(zone, f);
  }
  const civil = f.civil.format(instant);
  for (const [from, to, month, firstDay, leap] of CORRECTIONS) {
    if (civil < from || civil > to) continue;
    const day = firstDay + Math.round((Date.parse(civil) - Date.parse(from)) / DAY);
    return { month, day, leap: leap === true };
  }
  const parts = Object.fromEntries(f.chinese.formatToParts(instant).map((p) => [p.type, p.value]));
  // A leap month is written "6bis" (the intercalary month after the 6th).
  const month = String(parts.month ?? '');
  return { month: Number.parseInt(month, 10), day: Number(parts.day), leap: month.endsWith('bis') };
}
