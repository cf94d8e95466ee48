import { parseDuration } from '@tend/plugin-sdk/time';
import type { WorkflowDef } from './types.ts';

const HOUR_MS = 3_600_000;
/** A window shorter than an hour leaves no hour to choose; longer than a week, a stale habit. */
const MIN_WINDOW_MS = HOUR_MS;
const MAX_WINDOW_MS = 7 * 24 * HOUR_MS;

/** Parses `bestTime: within <duration>` (1 hour to 7 days): the window's length in ms. */
export function parseBestTime(text: string): { ok: true; withinMs: number } | { ok: false; message: string } {
  const m = /^within\s+(\S+)$/.exec(text.trim());
  if (!m?.[1]) return { ok: false, message: `"${text}" must be "within <duration>", such as within 24h` };
  const d = parseDuration(m[1]);
  if (!d.ok) return d;
  if (d.ms < MIN_WINDOW_MS || d.ms > MAX_WINDOW_MS)
    return { ok: false, message: `bestTime looks within 1h to 7d, not ${m[1]}` };
  return { ok: true, withinMs: d.ms };
}

/** Answers of usesBestTime per document: dispatch asks for every run of every batch. */
const known = new WeakMap<WorkflowDef, boolean>();

/** Whether any state of the workflow waits for the customer's best time (their hours are then read). */
export function usesBestTime(def: WorkflowDef): boolean {
  let uses = known.get(def);
  if (uses === undefined) {
    uses = Object.values(def.states).some((s) => s.wait !== undefined && 'bestTime' in s.wait);
    known.set(def, uses);
  }
  return uses;
}
