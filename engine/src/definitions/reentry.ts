import { parseDuration } from '@tend/plugin-sdk/time';

export type Reentry = { kind: 'never' } | { kind: 'always' } | { kind: 'after'; ms: number };

/** Parses `entry.reenter`: never (default), always, or `after <duration>`. */
export function parseReentry(
  text: string | undefined,
): { ok: true; value: Reentry } | { ok: false; message: string } {
  if (text === undefined || text === 'never') return { ok: true, value: { kind: 'never' } };
  if (text === 'always') return { ok: true, value: { kind: 'always' } };
  const m = /^after\s+(\S+)$/.exec(text.trim());
  if (!m?.[1]) {
    return { ok: false, message: `"${text}" must be never, always, or "after <duration>"` };
  }
  const d = parseDuration(m[1]);
  return d.ok ? { ok: true, value: { kind: 'after', ms: d.ms } } : d;
}
