/**
 * CSV for people's spreadsheets (RFC 4180): fields quoted when they hold a comma, quote or line
 * break; a byte-order mark so Excel reads UTF-8 (Chinese names and comments) as UTF-8; and a
 * leading apostrophe on text that a spreadsheet would run as a formula (=, +, -, @), since
 * comments are written by customers.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
