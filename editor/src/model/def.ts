import type {
  Branch,
  ExitGoal,
  ExperimentDef,
  SplitBranch,
  StateDef,
  StepDef,
  TriggerDef,
  WaitDef,
} from '@tend/engine/definitions/types';

export type { Branch, ExitGoal, ExperimentDef, SplitBranch, StateDef, StepDef, TriggerDef, WaitDef };

/**
 * A workflow as the editor reads it while it is being drawn: every part may be missing or still
 * wrong (the engine's validation says what), so each field is read defensively.
 */
export interface DraftDef {
  id: string;
  name: string;
  stage: string;
  description: string;
  trigger: TriggerDef;
  entry: { reenter?: string };
  exit: ExitGoal[];
  limits: { quietHours?: { from: string; to: string }; frequencyCap?: { messages: number; per: string } };
  start: string | null;
  states: Record<string, StateDef>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Reads whatever the YAML holds into the shape the canvas and forms work with. */
export function readDraft(value: unknown): DraftDef {
  const v = isObject(value) ? value : {};
  const states: Record<string, StateDef> = {};
  if (isObject(v.states)) {
    for (const [name, raw] of Object.entries(v.states)) states[name] = readState(raw);
  }
  return {
    id: text(v.id),
    name: text(v.name),
    stage: text(v.stage),
    description: text(v.description),
    trigger: isObject(v.trigger) ? (v.trigger as TriggerDef) : {},
    entry: isObject(v.entry) ? (v.entry as DraftDef['entry']) : {},
    exit: Array.isArray(v.exit) ? v.exit.filter(isObject).map((g) => g as unknown as ExitGoal) : [],
    limits: isObject(v.limits) ? (v.limits as DraftDef['limits']) : {},
    start: typeof v.start === 'string' ? v.start : null,
    states,
  };
}

function readState(raw: unknown): StateDef {
  if (!isObject(raw)) return {};
  const s: StateDef = {};
  if (typeof raw.description === 'string') s.description = raw.description;
  if (Array.isArray(raw.steps)) {
    s.steps = raw.steps.map((step) => (isObject(step) ? (step as unknown as StepDef) : { uses: '' }));
  }
  if (typeof raw.next === 'string') s.next = raw.next;
  if (Array.isArray(raw.choose)) s.choose = raw.choose.filter(isObject).map((b) => b as unknown as Branch);
  if (Array.isArray(raw.split)) s.split = raw.split.filter(isObject).map((b) => b as unknown as SplitBranch);
  if (isObject(raw.experiment)) s.experiment = readExperiment(raw.experiment);
  if (raw.end !== undefined && raw.end !== null) s.end = text(raw.end);
  if (isObject(raw.wait)) s.wait = raw.wait as unknown as WaitDef;
  if (isObject(raw.on)) {
    s.on = {};
    for (const [key, target] of Object.entries(raw.on)) {
      if (typeof target === 'string') s.on[key] = target;
      else if (Array.isArray(target)) s.on[key] = target.filter(isObject).map((b) => b as unknown as Branch);
    }
  }
  return s;
}

/** An experiment block as far as it is written (the engine's validation says what is missing). */
function readExperiment(raw: Record<string, unknown>): ExperimentDef {
  const goal = isObject(raw.goal) ? raw.goal : {};
  const e: ExperimentDef = {
    goal: {
      ...(typeof goal.event === 'string' ? { event: goal.event } : {}),
      ...(typeof goal.where === 'string' ? { where: goal.where } : {}),
      ...(typeof goal.outcome === 'string' ? { outcome: goal.outcome } : {}),
    },
    window: text(raw.window),
  };
  if (raw.pick === 'auto' || raw.pick === 'off') e.pick = raw.pick;
  if (typeof raw.holdout === 'string' || typeof raw.holdout === 'number') e.holdout = raw.holdout;
  return e;
}

/** What kind of wait a state has, if any. */
export function waitKind(wait: WaitDef | undefined): 'event' | 'for' | 'until' | 'at' | 'bestTime' | null {
  if (!wait) return null;
  if ('event' in wait) return 'event';
  if ('for' in wait) return 'for';
  if ('until' in wait) return 'until';
  if ('at' in wait) return 'at';
  if ('bestTime' in wait) return 'bestTime';
  return null;
}

/** The event types a waiting state listens for. */
export function awaitedEvents(wait: WaitDef | undefined): string[] {
  if (!wait || !('event' in wait)) return [];
  return (Array.isArray(wait.event) ? wait.event : [wait.event]).filter(
    (e): e is string => typeof e === 'string',
  );
}

/** The trigger's kind: the one of event/segment/stage/schedule/date/lunar/predicted that is set. */
export function triggerKind(trigger: TriggerDef): string | null {
  for (const kind of ['event', 'segment', 'stage', 'schedule', 'date', 'lunar', 'predicted'] as const) {
    if (trigger[kind] !== undefined) return kind;
  }
  return null;
}
