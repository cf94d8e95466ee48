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
