/** State names the engine accepts: lowercase letters, digits, - and _. */
export const STATE_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** A state name from any label: `messaging.send` → `send`, `Wait 2 days` → `wait-2-days`. */
export function slug(label: string): string {
  const base = label.split('.').at(-1) ?? label;
  const s = base
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return STATE_NAME.test(s) ? s : 'state';
}

/** `base`, or `base-2`, `base-3`… whichever is not taken. */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}
