import type { CelScope } from '@tend/plugin-sdk/cel';
import type { HourProfile } from '../store/engagement-hours.ts';
import type { EventView, RunContext } from '../store/run-types.ts';
import type { ExperimentWinners } from './experiment-route.ts';

/** A customer event as journeys see it (`event` in CEL and Liquid). */
export type { EventView, RunContext };

/** What the world looks like to one transition: who, when, which run. */
export interface TransitionEnv {
  customer: Record<string, unknown> & { id: string };
  now: Date;
  /** The customer's time zone, or the installation's. */
  zone: string;
  /** The customer's engagement hours, read only for journeys with a best-time wait. */
  hours?: HourProfile;
  run: { id: string; key: string | null; startedAt: string; workflowId: string; version: number };
  /** Experiments' winners, read by the worker from the database (none: split as written). */
  experiments?: ExperimentWinners;
}

/** The run's own data, persisted in the XState snapshot's context. */

/** Every event sent to a machine carries the env, so guards stay pure functions of their input. */
export type MachineEvent = { type: string; env: TransitionEnv } & Record<string, unknown>;

/** The CEL / Liquid scope of a moment in a run. */
export function scopeOf(context: RunContext, env: TransitionEnv, event: EventView | null): CelScope {
  return {
    customer: env.customer,
    event: (event ?? context.lastEvent) as Record<string, unknown> | null,
    run: {
      id: env.run.id,
      key: env.run.key,
      startedAt: env.run.startedAt,
      vars: context.vars,
      steps: context.steps,
    },
    now: env.now,
  };
}

/** The customer event inside a machine event, if it is one (not the engine's own). */
export function customerEventOf(event: { type: string } & Record<string, unknown>): EventView | null {
  if (event.type.startsWith('tend.') || event.type.startsWith('xstate.')) return null;
  return (event.view as EventView | undefined) ?? null;
}
