import { durationMs, parseDuration } from '@tend/plugin-sdk/time';
import { compileWorkflow } from '../compiler/compile.ts';
import { inlineRunner } from '../core/inline-steps.ts';
import type { WorkflowDef } from '../definitions/types.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import { toTrigger } from '../triggers/registry.ts';
import type { JourneyCase, StepOverride, TestCustomer, TestEvent } from './format.ts';
import { type SimulatedRun, simulate } from './simulate.ts';

/** What the editor's preview asks: a journey, one customer, events, and a virtual time. */
export interface PreviewRequest {
  def: WorkflowDef;
  hash: string;
  customer: TestCustomer;
  events: TestEvent[];
  /** Virtual time the journey starts at (ISO); default: now. */
  start: string;
  /** Virtual "now" to step to (ISO): events after it have not happened yet, timers up to it fire. */
  until?: string;
  steps?: Record<string, StepOverride>;
}

/** The event a non-event trigger is previewed with: the customer enters at the start time. */
export const PREVIEW_ENTRY = 'tend.preview.entered';
/** Upper bound of timers a preview fires: a looping journey answers with an error, not a hang. */
const MAX_TIMERS = 5_000;

/**
 * Steps a journey for one customer on a virtual clock, through the journey-test simulator (the
 * same pure transition code as production and `tend test`). Returns the customer's runs.
 */
export function preview(req: PreviewRequest, registry: PluginRegistry, defaultZone: string): SimulatedRun[] {
  const byEvent = toTrigger(req.def.trigger)?.kind === 'event';
  const def: WorkflowDef = byEvent
    ? req.def
    : {
        ...req.def,
        trigger: { event: PREVIEW_ENTRY, ...(req.def.trigger.where ? { where: req.def.trigger.where } : {}) },
      };
  const wf = compileWorkflow(def, byEvent ? req.hash : `${req.hash}:preview`);
  const entry: TestEvent[] = byEvent ? [] : [{ type: PREVIEW_ENTRY, at: req.start }];
  const events = [...entry, ...req.events].map((e) => ({ ...e, customer: req.customer.id }));
  const untilMs = req.until ? Date.parse(req.until) : null;
  let clock = Date.parse(req.start);
  const happened: TestEvent[] = [];
  for (const e of events) {
    const at = e.at ? Date.parse(e.at) : clock + (e.after ? durationMs(e.after) : 0);
    if (untilMs !== null && at > untilMs) break;
    clock = at;
    happened.push({
      type: e.type,
      customer: e.customer,
      at: new Date(at).toISOString(),
      ...(e.data ? { data: e.data } : {}),
      ...(e.id ? { id: e.id } : {}),
    });
  }
  const test: JourneyCase = {
    name: 'preview',
    customer: req.customer,
    start: req.start,
    events: happened,
    ...(req.steps ? { steps: req.steps } : {}),
    ...(untilMs !== null ? { until: `${Math.max(0, Math.floor((untilMs - clock) / 1000))}s` } : {}),
    expect: {},
  };
  return simulate(wf, registry, inlineRunner(registry), test, defaultZone, { maxTimers: MAX_TIMERS });
}

/** Why an event's `at`/`after` or the virtual times cannot be used, or null. */
export function previewTimeProblem(req: {
  start: string;
  until?: string;
  events: TestEvent[];
}): string | null {
  if (Number.isNaN(Date.parse(req.start))) return 'start must be an ISO date-time';
  if (req.until !== undefined && Number.isNaN(Date.parse(req.until))) return 'until must be an ISO date-time';
  if (req.until !== undefined && Date.parse(req.until) - Date.parse(req.start) > 800 * 86_400_000) {
    return 'until may be at most 800 days after start';
  }
  for (const [i, e] of req.events.entries()) {
    if (e.at !== undefined && Number.isNaN(Date.parse(e.at)))
      return `events.${i}.at must be an ISO date-time`;
    if (e.after !== undefined) {
      const d = parseDuration(e.after);
      if (!d.ok) return `events.${i}.after: ${d.message}`;
    }
  }
  return null;
}
