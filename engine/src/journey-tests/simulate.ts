import { durationMs } from '@tend/plugin-sdk/time';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import { type EventView, scopeOf } from '../compiler/scope.ts';
import { applyEngineEvent, startRun } from '../core/advance.ts';
import { deliverEvent } from '../core/deliver-event.ts';
import { blankCustomer, envFor } from '../core/env.ts';
import { type InlineStepRunner, runData } from '../core/inline-steps.ts';
import type { Advanced, EngineEvent, HistoryEntry, RunPosition } from '../core/types.ts';
import type { CustomerView } from '../customers/types.ts';
import { renderConfigSync } from '../definitions/liquid.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import { runSlot } from '../store/runs.ts';
import { startingEvent } from '../triggers/registry.ts';
import { admission } from '../workers/enroll.ts';
import type { JourneyCase, TestCustomer } from './format.ts';
import { occurrencesFor, timeTriggerEvent } from './time-trigger.ts';

/** One step a simulated run reached, with what it would have done. */
export interface RanStep {
  at: string;
  state: string;
  label: string;
  uses: string;
  config: Record<string, unknown>;
  summary: string;
}

export interface SimulatedRun {
  id: string;
  customerId: string;
  status: string;
  state: string;
  outcome: string | null;
  vars: Record<string, unknown>;
  steps: Record<string, unknown>;
  path: string[];
  ran: RanStep[];
  history: HistoryEntry[];
}

const DEFAULT_START = '2026-01-01T00:00:00Z';
const DEFAULT_UNTIL = '400d';

/**
 * Runs a journey test on a virtual clock, through the same pure transition code as production:
 * no database, no real waiting. Steps do not run; they answer with the test's override or the
 * plugin's preview (what they would send). A time trigger (schedule, date, lunar) fires where the
 * test has an event of its type (`trigger.date`…): the sweep coming round at that moment.
 */
export function simulate(
  wf: CompiledWorkflow,
  registry: PluginRegistry,
  inline: InlineStepRunner,
  test: JourneyCase,
  defaultZone: string,
  limits: { maxTimers?: number } = {},
): SimulatedRun[] {
  const customers = new Map<string, CustomerView>();
  for (const c of [...(test.customer ? [test.customer] : []), ...(test.customers ?? [])])
    customers.set(c.id, view(c));
  const first = customers.keys().next().value ?? 'customer-1';
  let clock = new Date(test.start ?? DEFAULT_START).getTime();
  const events = test.events.map((e) => {
    clock = e.at ? new Date(e.at).getTime() : clock + (e.after ? durationMs(e.after) : 0);
    return { ...e, time: clock, customer: e.customer ?? first };
  });
  const horizon = clock + durationMs(test.until ?? DEFAULT_UNTIL);

  const runs: { pos: RunPosition; state: Advanced | null; sim: SimulatedRun }[] = [];
  const timers: { due: number; runId: string; entry: number; purpose: string }[] = [];
  const slots = { active: new Map<string, string>(), lastStart: new Map<string, Date>() };
  let seq = 0;

  const envOf = (pos: RunPosition, now: number) =>
    envFor(customers.get(pos.customerId), pos, new Date(now), defaultZone);
  const record = (r: (typeof runs)[number], advanced: Advanced, now: number) => {
    r.pos.entry = advanced.entry;
    r.pos.snapshot = advanced.snapshot;
    r.state = advanced;
    Object.assign(r.sim, {
      status: advanced.status,
      state: advanced.state,
      outcome: advanced.outcome,
      vars: advanced.snapshot.context.vars,
      steps: advanced.snapshot.context.steps,
    });
    r.sim.history.push(...advanced.history);
    for (const h of advanced.history) if (h.type === 'state.entered' && h.state) r.sim.path.push(h.state);
    if (advanced.status !== 'active')
      slots.active.delete(runSlot(r.pos.workflowId, r.pos.customerId, r.pos.key));
    const follow: EngineEvent[] = [];
    for (const effect of advanced.effects) {
      if (effect.kind === 'timer') {
        timers.push({
          due: effect.dueAt.getTime(),
          runId: r.pos.id,
          entry: effect.entry,
          purpose: effect.purpose,
        });
        continue;
      }
      const step = wf.def.states[effect.state]?.steps?.[effect.index];
      if (!step) continue;
      const label = step.id ?? step.uses;
      const env = envOf(r.pos, now);
      const scope = scopeOf(r.pos.snapshot.context, env, null) as unknown as Record<string, unknown>;
      const config = safeRender(step.with ?? {}, scope);
      const override = test.steps?.[label] ?? test.steps?.[step.uses];
      const preview = registry.get(step.uses)?.def.preview?.({
        config,
        customer: env.customer as never,
        run: {
          id: r.pos.id,
          workflowId: wf.def.id,
          version: 0,
          state: effect.state,
          key: r.pos.key,
          ...runData(scope),
        },
        event: r.pos.snapshot.context.lastEvent,
        step: { id: step.id ?? null, uses: step.uses, index: effect.index },
        journey: { id: wf.def.id, version: 0, name: wf.def.name, limits: wf.def.limits ?? {} },
        attempt: 1,
        idempotencyKey: effect.key,
        now: env.now,
        log: { info() {}, warn() {}, error() {} },
      });
      r.sim.ran.push({
        at: env.now.toISOString(),
        state: effect.state,
        label,
        uses: step.uses,
        config,
        summary: preview?.summary ?? step.uses,
      });
      follow.push(
        override?.fail
          ? {
              type: 'tend.step.failed',
              error: { code: override.fail.code, message: override.fail.message ?? 'failed in test' },
            }
          : { type: 'tend.step.done', output: override?.output ?? preview?.output ?? {} },
      );
    }
    for (const event of follow) {
      if (r.sim.status !== 'active') break;
      record(r, applyEngineEvent(wf, r.pos, event, envOf(r.pos, now), inline), now);
    }
  };

  // Starts a run when admission allows it (filter, key, one active run per slot, re-entry).
  const enroll = (view: EventView & { customerId: string }, time: number) => {
    const admitted = admission(
      { workflowId: wf.def.id, version: 0, compiled: wf },
      view,
      customers.get(view.customerId),
      slots,
      new Date(time),
      defaultZone,
    );
    if (!admitted.ok) return;
    const pos: RunPosition = {
      id: `run-${runs.length + 1}`,
      workflowId: wf.def.id,
      version: 0,
      customerId: view.customerId,
      key: admitted.key,
      startedAt: new Date(time).toISOString(),
      entry: 0,
      snapshot: {
        value: null,
        context: { vars: {}, steps: {}, lastEvent: null, outcome: null, error: null },
      },
      awaiting: null,
    };
    const sim: SimulatedRun = {
      id: pos.id,
      customerId: pos.customerId,
      status: 'active',
      state: wf.def.start,
      outcome: null,
      vars: {},
      steps: {},
      path: [],
      ran: [],
      history: [],
    };
    const r = { pos, state: null, sim };
    runs.push(r);
    slots.active.set(admitted.slot, pos.id);
    slots.lastStart.set(admitted.slot, new Date(time));
    record(r, startRun(wf, envOf(pos, time), view, inline), time);
  };
  const timed = timeTriggerEvent(wf.trigger);
  const fired = new Set<string>();

  let next = 0;
  let timersFired = 0;
  for (;;) {
    timers.sort((a, b) => a.due - b.due);
    const timer = timers[0];
    const event = events[next];
    if (timer && timer.due <= horizon && (!event || timer.due <= event.time)) {
      timers.shift();
      // A journey that loops on short waits would otherwise keep a caller busy for a long time.
      if (limits.maxTimers !== undefined && ++timersFired > limits.maxTimers)
        throw new Error(`more than ${limits.maxTimers} timers fired: does the journey loop on a short wait?`);
      const r = runs.find((x) => x.pos.id === timer.runId);
      if (r?.sim.status !== 'active' || r.pos.entry !== timer.entry) continue;
      r.sim.history.push({
        at: new Date(timer.due),
        type: 'timer.fired',
        state: r.sim.state,
        step: null,
        detail: { purpose: timer.purpose },
      });
      record(
        r,
        applyEngineEvent(wf, r.pos, { type: 'tend.timer' }, envOf(r.pos, timer.due), inline),
        timer.due,
      );
      continue;
    }
    if (!event) break;
    next += 1;
    const view = {
      type: event.type,
      data: event.data ?? {},
      occurredAt: new Date(event.time).toISOString(),
      id: event.id ?? `e${++seq}`,
      customerId: event.customer,
      seq: String(seq),
    };
    if (timed !== null && event.type === timed) {
      // Not an event: the sweep came round. It starts runs for the occurrences due to this
      // customer (each once, ever), with the trigger event the runtime records; active runs
      // never see it.
      const customer = customers.get(event.customer);
      for (const o of occurrencesFor(wf.trigger, customer, new Date(event.time), defaultZone)) {
        const claim = `${event.customer}:${o.id}`;
        if (fired.has(claim)) continue;
        fired.add(claim);
        enroll({ ...view, id: `${wf.def.id}:${o.id}`, data: { ...view.data, occurrence: o.id } }, event.time);
      }
      continue;
    }
    for (const r of runs) {
      if (r.pos.customerId !== event.customer || r.sim.status !== 'active') continue;
      const d = deliverEvent(wf, r.pos, view, envOf(r.pos, event.time), inline);
      if (d.kind === 'matched' || d.kind === 'exited') record(r, d.advanced, event.time);
      else
        r.sim.history.push({
          at: new Date(event.time),
          type: `event.${d.kind}`,
          state: r.sim.state,
          step: null,
          detail: { event: event.type },
        });
    }
    if (startingEvent(wf.trigger) === event.type) enroll(view, event.time);
  }
  return runs.map((r) => r.sim);
}

function view(c: TestCustomer): CustomerView {
  const { id, timezone, attributes, tags, ...rest } = c;
  return {
    ...blankCustomer(id, new Date(DEFAULT_START)),
    ...rest,
    timezone: timezone ?? null,
    attributes: attributes ?? {},
    tags: tags ?? [],
  };
}

function safeRender(value: unknown, scope: Record<string, unknown>): Record<string, unknown> {
  try {
    return renderConfigSync(value, scope) as Record<string, unknown>;
  } catch (error) {
    return { templateError: (error as Error).message };
  }
}
