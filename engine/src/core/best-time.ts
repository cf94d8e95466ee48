import { localParts, quietUntil } from '@tend/plugin-sdk/time';
import type { HourCounts, HourProfile } from '../store/engagement-hours.ts';

const HOUR_MS = 3_600_000;
const HOURS = 24;

/**
 * How many engagements the base's pattern is worth to one customer (the Dirichlet prior's total
 * pseudo-count): a customer's own hour outweighs the base's once they have engaged at it a few
 * times, while one stray open does not.
 */
export const PRIOR_WEIGHT = 8;

/** Why the hour was chosen, for the run's history and explanations. */
export type BestTimeBasis =
  /** The customer's most frequent hour. */
  | 'usual'
  /** No history of their own: the base's pattern. */
  | 'base'
  /** The best hour the window and quiet hours leave (their usual hour is outside them). */
  | 'best'
  /** Every hour of the window is quiet: the window's end. */
  | 'window-end';

export interface BestTimeChoice {
  at: Date;
  /** The local hour (0–23, customer's zone) the wait lands in. */
  hour: number;
  basis: BestTimeBasis;
}

/**
 * The posterior mean share of engagements per local hour: a Dirichlet prior (the base's pattern
 * scaled to PRIOR_WEIGHT; uniform when the base has none) updated with the customer's counts.
 */
export function posterior(profile: HourProfile | undefined): number[] {
  const own = counts(profile?.own);
  const base = counts(profile?.base);
  const baseTotal = sum(base);
  const n = sum(own);
  return own.map((c, h) => {
    const prior = baseTotal > 0 ? (PRIOR_WEIGHT * (base[h] as number)) / baseTotal : PRIOR_WEIGHT / HOURS;
    return (prior + c) / (PRIOR_WEIGHT + n);
  });
}

/**
 * Where a best-time wait lands: among now and every local hour that starts within the window,
 * outside quiet hours, the one of highest posterior (ties: the earliest). Now's hour wins by
 * going at once; any other lands at the start of its hour. Hours follow the zone's clock, so a
 * DST change skips or repeats one.
 */
export function chooseBestTime(
  now: Date,
  zone: string,
  withinMs: number,
  profile: HourProfile | undefined,
  quiet?: { from: string; to: string },
): BestTimeChoice {
  const scores = posterior(profile);
  const isQuiet = (at: Date) => quiet !== undefined && quietUntil(at, zone, quiet.from, quiet.to) !== null;
  const end = now.getTime() + withinMs;
  const local = localParts(now, zone);
  let best: { at: Date; hour: number; score: number } | null = null;
  const consider = (at: Date, hour: number) => {
    const score = scores[hour] as number;
    if (!isQuiet(at) && (best === null || score > best.score)) best = { at, hour, score };
  };
  consider(now, local.hour);
  const hourStart = now.getTime() - local.minute * 60_000 - local.second * 1000 - (now.getTime() % 1000);
  for (let t = hourStart + HOUR_MS; t <= end; t += HOUR_MS) {
    const p = localParts(new Date(t), zone);
    // A zone whose DST moves by half an hour shifts the local hours' starts.
    t -= p.minute * 60_000;
    if (t > now.getTime()) consider(new Date(t), p.hour);
  }
  const chosen = best as { at: Date; hour: number; score: number } | null;
  if (!chosen) return { at: new Date(end), hour: localParts(new Date(end), zone).hour, basis: 'window-end' };
  return { at: chosen.at, hour: chosen.hour, basis: basisOf(profile, chosen.hour) };
}

function basisOf(profile: HourProfile | undefined, hour: number): BestTimeBasis {
  const own = counts(profile?.own);
  if (sum(own) === 0) return 'base';
  return (own[hour] as number) === Math.max(...own) ? 'usual' : 'best';
}

const counts = (c: HourCounts | undefined): number[] =>
  Array.from({ length: HOURS }, (_, h) => Math.max(0, Number(c?.[h] ?? 0)));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
