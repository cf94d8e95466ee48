/**
 * Durations, one library for the engine, the SDK, the plugins and the editor: what a workflow
 * accepts is what a step's setting accepts.
 */
const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const SHORT = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const SHORT_PART = /(\d+)(ms|s|m|h|d|w)/g;
const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The longest wait a workflow may ask for: ten years. */
export const MAX_DURATION_MS = 10 * 365 * UNIT_MS.d;

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

/**
 * Parses `30s 15m 2h 7d 2w` (also combined, `1h30m`) and ISO-8601 durations without years and
 * months (`P7D`, `PT1H30M`), whose length depends on the calendar.
 */
export function parseDuration(text: string): DurationResult {
  const s = text.trim();
  let ms: number | null = null;
  if (SHORT.test(s)) {
    ms = 0;
    for (const [, n, unit] of s.matchAll(SHORT_PART)) {
      ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
    }
  } else if (s.startsWith('P') && s !== 'P' && !s.endsWith('T')) {
    const m = ISO.exec(s);
    if (!m) {
      return {
        ok: false,
        message: /^P.*[YM]/.test(s.split('T')[0] ?? '')
          ? `"${text}": years and months vary in length; use days or weeks (e.g. P30D)`
          : `"${text}" is not an ISO-8601 duration such as P7D or PT2H`,
      };
    }
    const [, w, d, h, min, sec] = m;
    ms =
      Number(w ?? 0) * UNIT_MS.w +
      Number(d ?? 0) * UNIT_MS.d +
      Number(h ?? 0) * UNIT_MS.h +
      Number(min ?? 0) * UNIT_MS.m +
      Math.round(Number(sec ?? 0) * 1000);
  }
  if (ms === null) {
    return { ok: false, message: `"${text}" is not a duration: use 30s, 15m, 2h, 7d, 2w or P7D` };
  }
  if (ms > MAX_DURATION_MS) return { ok: false, message: `"${text}" is longer than ten years` };
  return { ok: true, ms };
}

/** JSON Schema pattern for the same durations (for config schemas of steps and settings). */
export const DURATION_PATTERN =
  '^((\\d+(ms|s|m|h|d|w))+|P(?=\\d|T\\d)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?)$';

/** Like parseDuration, for values already validated. */
export function durationMs(text: string): number {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(r.message);
  return r.ms;
}
