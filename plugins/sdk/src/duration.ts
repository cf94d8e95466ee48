const UNITS: Record<string, number> & { s: number; m: number; h: number; d: number; w: number } = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `30s 15m 2h 7d 2w`, combined (`1h30m`), or ISO-8601 days and times (`P7D`, `PT2H`). */
export function durationMs(text: string): number | null {
  const t = text.trim();
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(t);
  if (iso && t !== 'P' && !t.endsWith('T')) {
    const [, w, d, h, m, s] = iso.map((x) => Number(x ?? 0));
    return (
      (w ?? 0) * UNITS.w + (d ?? 0) * UNITS.d + (h ?? 0) * UNITS.h + (m ?? 0) * UNITS.m + (s ?? 0) * 1000
    );
  }
  if (!/^(\d+[smhdw])+$/.test(t)) return null;
  let total = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/g)) total += Number(n) * (UNITS[unit as string] ?? 0);
  return total;
}

/** JSON Schema pattern for the same durations (for config schemas). */
export const DURATION_PATTERN = '^((\\d+[smhdw])+|P(\\d+W)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+S)?)?)$';
