import { type CelScope, evaluateCel } from '@tend/plugin-sdk/cel';
import { durationMs, nextLocalTime } from '@tend/plugin-sdk/time';
import type { TransitionEnv } from '../compiler/scope.ts';
import { parseBestTime } from '../definitions/best-time.ts';
import type { WaitDef, WorkflowDef } from '../definitions/types.ts';
import { type BestTimeChoice, chooseBestTime } from './best-time.ts';

/**
 * When a wait's timer fires. A time that cannot be computed (an `until` expression that fails or
 * is not a time) fires at once, and the reason goes to the run's history.
 */
export function dueAt(
  wait: WaitDef,
  env: TransitionEnv,
  scope: CelScope,
  limits?: WorkflowDef['limits'],
): { at: Date; problem?: string; best?: BestTimeChoice } {
  const now = env.now.getTime();
  if ('bestTime' in wait) {
    const window = parseBestTime(wait.bestTime);
    if (!window.ok) return { at: env.now, problem: `bestTime: ${window.message}` };
    const best = chooseBestTime(env.now, env.zone, window.withinMs, env.hours, limits?.quietHours);
    return { at: best.at, best };
  }
  if ('event' in wait) return { at: new Date(now + (wait.timeout ? durationMs(wait.timeout) : 0)) };
  if ('for' in wait) return { at: new Date(now + durationMs(wait.for)) };
  if ('at' in wait) return { at: nextLocalTime(env.now, env.zone, wait.at, wait.weekdays) };
  const r = evaluateCel(wait.until, scope);
  if (!r.ok) return { at: env.now, problem: `until: ${r.error}` };
  const at = toDate(r.value);
  if (!at) return { at: env.now, problem: `until: ${JSON.stringify(r.value)} is not a time` };
  return { at: at.getTime() < now ? env.now : at };
}

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}
