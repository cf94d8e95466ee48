import { evaluateCel, evaluateCondition } from '@tend/plugin-sdk/cel';
import { winnersFor } from '../catalog/experiment-winners.ts';
import type { PublishedWorkflow } from '../catalog/published-workflows.ts';
import { type EventView, scopeOf } from '../compiler/scope.ts';
import { startRun } from '../core/advance.ts';
import { envFor } from '../core/env.ts';
import type { Advanced } from '../core/types.ts';
import type { CustomerView } from '../customers/types.ts';
import type { HourProfile } from '../store/engagement-hours.ts';
import type { StoredEvent } from '../store/events.ts';
import { type RunRow, runSlot } from '../store/runs.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import { kindMismatch } from '../triggers/registry.ts';
import type { RuntimeDeps } from './deps.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** Why an event did not start a run (for the history of explain, and for tests). */
export type EnrollSkip = 'filtered' | 'active' | 'reentry' | 'key';

export interface Slots {
  /** Slots (workflow, customer, key) that have an active run. */
  active: Map<string, unknown>;
  /** When each slot last started a run. */
  lastStart: Map<string, Date>;
}

/**
 * May this event start a run of `wf`? Only when the trigger's filter holds, no run is active in
 * the same slot and re-entry allows it. Pure: shared by the runtime and journey tests.
 */
export function admission(
  wf: Pick<PublishedWorkflow, 'workflowId' | 'version' | 'compiled'>,
  event: EventView & { customerId: string },
  customer: CustomerView | undefined,
  slots: Slots,
  now: Date,
  defaultZone: string,
): { ok: true; key: string | null; slot: string } | { ok: false; skip: EnrollSkip } {
  const probe = envFor(
    customer,
    {
      id: '',
      key: null,
      startedAt: now.toISOString(),
      workflowId: wf.workflowId,
      version: wf.version,
      customerId: event.customerId,
    },
    now,
    defaultZone,
  );
  const scope = scopeOf({ vars: {}, steps: {}, lastEvent: event, outcome: null, error: null }, probe, event);
  const { trigger } = wf.compiled;
  if (kindMismatch(trigger, event.data)) return { ok: false, skip: 'filtered' };
  if (trigger.where && !evaluateCondition(trigger.where, scope).result)
    return { ok: false, skip: 'filtered' };
  let key: string | null = null;
  if (trigger.key) {
    const k = evaluateCel(trigger.key, scope);
    if (!k.ok || k.value === null || k.value === undefined || k.value === '')
      return { ok: false, skip: 'key' };
    key = typeof k.value === 'string' ? k.value : JSON.stringify(k.value);
  }
  const slot = runSlot(wf.workflowId, event.customerId, key);
  if (slots.active.has(slot)) return { ok: false, skip: 'active' };
  const last = slots.lastStart.get(slot);
  const reentry = wf.compiled.reentry;
  if (
    last &&
    (reentry.kind === 'never' || (reentry.kind === 'after' && now.getTime() - last.getTime() < reentry.ms))
  ) {
    return { ok: false, skip: 'reentry' };
  }
  return { ok: true, key, slot };
}

/** Starts a run of `wf` for the event's customer when admission allows it. */
export function enroll(
  deps: RuntimeDeps,
  uow: UnitOfWork,
  wf: PublishedWorkflow,
  event: StoredEvent,
  customer: CustomerView | undefined,
  slots: Slots,
  now: Date,
  given: {
    /** A start computed once for many customers (bulk enrollment), adjusted to this run. */
    template?: (run: RunRow) => Advanced;
    /** The customer's engagement hours, when the journey has a best-time wait. */
    hours?: HourProfile | undefined;
  } = {},
): RunRow | EnrollSkip {
  const { template, hours } = given;
  const admitted = admission(wf, event, customer, slots, now, deps.config.defaultTimezone);
  if (!admitted.ok) return admitted.skip;
  const { key, slot } = admitted;
  const { def } = wf.compiled;
  const run: RunRow = {
    id: timeOrderedId(now.getTime()),
    workflowId: wf.workflowId,
    version: wf.version,
    customerId: event.customerId,
    key,
    startedAt: now.toISOString(),
    entry: 0,
    snapshot: { value: null, context: { vars: {}, steps: {}, lastEvent: null, outcome: null, error: null } },
    awaiting: null,
    rev: 0,
    driver: null,
    attempt: 0,
    status: 'active',
    state: def.start,
    phase: 'steps',
    step: null,
    outcome: null,
  };
  const env = envFor(customer, run, now, deps.config.defaultTimezone, {
    experiments: winnersFor(deps.db, run.workflowId),
    hours,
  });
  const advanced = template ? template(run) : startRun(wf.compiled, env, event, deps.inline);
  uow.advance(run, advanced, true);
  slots.lastStart.set(slot, now);
  if (run.status === 'active') slots.active.set(slot, run);
  return run;
}
