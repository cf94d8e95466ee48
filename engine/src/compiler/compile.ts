import { setup } from 'xstate';
import { experimentOf } from '../definitions/experiment.ts';
import { parseReentry, type Reentry } from '../definitions/reentry.ts';
import {
  type Branch,
  isEventWait,
  type StateDef,
  type StepDef,
  stateExit,
  type WorkflowDef,
} from '../definitions/types.ts';
import type { Phase } from '../store/run-types.ts';
import { toTrigger } from '../triggers/registry.ts';
import type { Trigger } from '../triggers/types.ts';
import { actions, guards } from './implementations.ts';
import {
  EV_EXIT,
  EV_STEP_DONE,
  EV_STEP_FAILED,
  EV_TIMER,
  EXIT_STATE,
  endState,
  FAILED_STATE,
  ROUTE_SUB,
  stateId,
  stepSub,
  target,
  WAIT_SUB,
} from './names.ts';
import { pureTransitions } from './pure.ts';
import type { RunContext } from './scope.ts';

/** Where a run can rest: running steps, waiting for an event, waiting for time, or finished. */
export type { Phase };

// biome-ignore lint/suspicious/noExplicitAny: machine configs are data built at run time
type Config = Record<string, any>;

// The machine config is data built at run time, so the implementations' parameter types cannot
// be checked against it; they are checked in implementations.ts instead.
const machineSetup = setup({
  types: {} as { context: RunContext; input: unknown },
  actions: actions as unknown as Record<string, never>,
  guards: guards as unknown as Record<string, never>,
});

export type WorkflowMachine = ReturnType<typeof buildMachine>;

/** A workflow version, compiled once and shared by every run pinned to it. */
export interface CompiledWorkflow {
  hash: string;
  def: WorkflowDef;
  machine: WorkflowMachine;
  pure: ReturnType<typeof pureTransitions>;
  reentry: Reentry;
  /** The trigger as a tagged union (triggers/), built from the document once. */
  trigger: Trigger;
}

/** Compiles a validated workflow to an XState v5 machine (structure as data, code by name). */
export function compileWorkflow(def: WorkflowDef, hash: string): CompiledWorkflow {
  const reentry = parseReentry(def.entry?.reenter);
  if (!reentry.ok) throw new Error(reentry.message);
  const trigger = toTrigger(def.trigger);
  if (!trigger) throw new Error('the trigger needs exactly one kind');
  const machine = buildMachine(def);
  return { hash, def, machine, pure: pureTransitions(machine), reentry: reentry.value, trigger };
}

function buildMachine(def: WorkflowDef) {
  const states: Config = {
    [EXIT_STATE]: { type: 'final', entry: [{ type: 'finish', params: { outcome: null } }] },
    [FAILED_STATE]: { type: 'final' },
  };
  for (const [name, state] of Object.entries(def.states)) {
    Object.assign(states, compileState(name, state));
  }
  return machineSetup.createMachine({
    id: 'workflow',
    // The trigger is the run's first event: conditions before any wait see it as `event`.
    context: ({ input }) => ({
      vars: {},
      steps: {},
      lastEvent: (input as { view?: RunContext['lastEvent'] } | undefined)?.view ?? null,
      outcome: null,
      error: null,
    }),
    initial: def.start,
    on: { [EV_EXIT]: { target: `.${EXIT_STATE}` } },
    states,
  });
}

function compileState(name: string, state: StateDef): Config {
  const enter = { type: 'enter', params: { state: name } };
  const steps = state.steps ?? [];
  const exit = stateExit(state);
  if (exit?.kind === 'end' && steps.length === 0) {
    return {
      [name]: { id: stateId(name), type: 'final', entry: [enter, finish(exit.outcome)] },
    };
  }
  const extra: Config = {};
  const subs: Config = {};
  const after = state.wait ? WAIT_SUB : ROUTE_SUB;
  steps.forEach((step, i) => {
    subs[stepSub(i)] = {
      entry: [{ type: 'runStep', params: { state: name, index: i } }],
      on: {
        [EV_STEP_DONE]: {
          target: i + 1 < steps.length ? stepSub(i + 1) : after,
          actions: [{ type: 'saveStep', params: { id: step.id ?? null, setVars: step.uses === 'core.set' } }],
        },
        [EV_STEP_FAILED]: onFailure(name, step, i + 1 < steps.length ? stepSub(i + 1) : after),
      },
    };
  });
  const wait = state.wait;
  if (wait && isEventWait(wait)) {
    const on: Config = {};
    const where = wait.where ? [wait.where] : [];
    for (const [key, value] of Object.entries(state.on ?? {})) {
      if (key === 'timeout') on[EV_TIMER] = branches(value, []);
      else on[key] = branches(value, where);
    }
    subs[WAIT_SUB] = {
      entry: wait.timeout ? [{ type: 'startTimer', params: { state: name } }] : [],
      on,
    };
  } else {
    if (wait) {
      subs[WAIT_SUB] = {
        entry: [{ type: 'startTimer', params: { state: name } }],
        on: { [EV_TIMER]: { target: ROUTE_SUB } },
      };
    }
    subs[ROUTE_SUB] = { always: route(state, name, extra) };
  }
  return {
    ...extra,
    [name]: {
      id: stateId(name),
      entry: [enter],
      initial: steps.length > 0 ? stepSub(0) : after,
      states: subs,
    },
  };
}

function route(state: StateDef, name: string, extra: Config): Config[] {
  const exit = stateExit(state);
  switch (exit?.kind) {
    case 'next':
      return [go(exit.target)];
    case 'choose':
      return exit.branches.map((b) => ({ ...go(b.next), ...(b.when ? cel([b.when]) : {}) }));
    case 'split': {
      const weights = exit.branches.map((b) => b.weight);
      const found = experimentOf(name, state);
      const experiment = found
        ? { key: found.key, holdout: found.holdout, follows: found.pick === 'auto' }
        : null;
      return exit.branches.map((b, arm) => ({
        ...go(b.next),
        guard: { type: 'split', params: { key: name, arm, weights, experiment } },
        // The arm a run took is recorded (history, and the experiment's assignments).
        ...(experiment ? { actions: [{ type: 'assigned', params: { state: name, arm, experiment } }] } : {}),
      }));
    }
    case 'end':
      extra[endState(name)] = { type: 'final', entry: [finish(exit.outcome)] };
      return [{ target: `#workflow.${endState(name)}` }];
    default:
      throw new Error(`state "${name}" has no exit (validation should have caught this)`);
  }
}

function branches(value: string | Branch[], where: string[]): Config[] | Config {
  const remember = { type: 'remember' };
  if (typeof value === 'string') {
    return { ...go(value), ...(where.length ? cel(where) : {}), actions: [remember] };
  }
  return value.map((b) => {
    const exprs = [...where, ...(b.when ? [b.when] : [])];
    return { ...go(b.next), ...(exprs.length ? cel(exprs) : {}), actions: [remember] };
  });
}

function onFailure(state: string, step: StepDef, continueTo: string): Config {
  const id = step.id ?? null;
  const policy = step.onError ?? 'fail';
  if (policy === 'continue') {
    return { target: continueTo, actions: [{ type: 'saveError', params: { id } }] };
  }
  if (typeof policy === 'object') {
    return { ...go(policy.next), actions: [{ type: 'saveError', params: { id } }] };
  }
  return {
    target: `#workflow.${FAILED_STATE}`,
    actions: [{ type: 'failRun', params: { step: id ?? `${state}[${step.uses}]` } }],
  };
}

const go = (name: string) => ({ target: target(name), reenter: true });
const cel = (exprs: string[]) => ({ guard: { type: 'cel', params: { exprs } } });
const finish = (outcome: string) => ({ type: 'finish', params: { outcome } });
