/**
 * CSV for people's spreadsheets (RFC 4180): fields quoted when they hold a comma, quote or line
 * break; a byte-order mark so Excel reads UTF-8 (Chinese names and comments) as UTF-8; and a
 * leading apostrophe on text that a spreadsheet would run as a formula (=, +, -, @), since
 * comments and names are written by customers.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return CSV_BOM + [header, ...rows].map(csvLine).join('');
}

/** What a CSV file starts with, so Excel reads it as UTF-8. */
export const CSV_BOM = '\uFEFF';

/** One line of CSV, with its CRLF (for files written a page at a time). */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
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
