/** Lower-case and trimmed: the form an email is stored, hashed and compared in. */
export function normalizeEmail(email: string): string | null {
  const e = email.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : null;
}

/** Digits with an optional leading +, separators dropped: +86 138-0013-8000 → +8613800138000. */
export function normalizePhone(phone: string): string | null {
  const p = phone.trim().replace(/[\s().-]/g, '');
  return /^\+?[0-9]{6,16}$/.test(p) ? p : null;
}

/**
 * The spellings one number may have been stored in: as written, and with or without the home
 * country's calling code (`139 1234 5678` and `+86 139 1234 5678` are one phone; a leading trunk
 * 0 of a national number goes when the code is added: 021… → +8621…).
 */
export function phoneSpellings(normalized: string, country: string): string[] {
  const code = `+${country}`;
  if (normalized.startsWith(code)) {
    const national = normalized.slice(code.length);
    return [normalized, national, `0${national}`];
  }
  if (normalized.startsWith('+')) return [normalized];
  const national = normalized.replace(/^0/, '');
  return [
    ...new Set([normalized, `${code}${national}`, national === normalized ? `0${national}` : national]),
  ];
}

/** `YYYY-MM-DD` or `--MM-DD` (year unknown), checked against the calendar. */
export function normalizeBirthday(text: string): { value: string; monthDay: number } | null {
  const m = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, year, mm, dd] = m;
  const month = Number(mm);
  const day = Number(dd);
  // A year-less date may be 29 February; check against a leap year.
  const y = year === '-' ? 2000 : Number(year);
  const d = new Date(Date.UTC(y, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { value: `${year === '-' ? '-' : year}-${mm}-${dd}`, monthDay: month * 100 + day };
}

/** A BCP 47 language tag Node's ICU accepts (zh-CN, en, en-GB…). */
export function normalizeLocale(text: string): string | null {
  try {
    return Intl.getCanonicalLocales(text.trim())[0] ?? null;
  } catch {
    return null;
  }
}
