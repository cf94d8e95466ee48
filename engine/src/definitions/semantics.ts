import type { ValidationIssue } from '../errors.ts';
import { documentKinds, moduleOf, toTrigger } from '../triggers/registry.ts';
import { didYouMean } from './suggest.ts';
import {
  type Branch,
  isEventWait,
  RESERVED_EVENT_PREFIX,
  type StateDef,
  stateTargets,
  TRIGGER_KINDS,
  type WorkflowDef,
} from './types.ts';
import { issueAt, type YamlSource } from './yaml-source.ts';

/** Structure of the journey: one trigger, exits, targets, reachability, loops. */
export function checkSemantics(source: YamlSource, def: WorkflowDef): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (path: (string | number)[], message: string, where: 'key' | 'value' = 'value') =>
    issues.push(issueAt(source, path, message, where));

  const kinds = documentKinds(def.trigger);
  if (kinds.length !== 1) {
    at(
      ['trigger'],
      kinds.length === 0
        ? `the trigger needs exactly one of ${TRIGGER_KINDS.join(', ')}`
        : `the trigger has ${kinds.join(' and ')}: keep exactly one`,
      'key',
    );
  }
  const trigger = toTrigger(def.trigger);
  if (trigger) {
    const kind = moduleOf(trigger);
    if (kind.repeats && def.entry?.reenter === undefined) {
      at(
        ['trigger', trigger.kind],
        `a ${trigger.kind} trigger comes back again and again: say whether customers may enter again (entry: { reenter: always }, or after 300d)`,
        'key',
      );
    }
    for (const issue of kind.check(trigger))
      at(['trigger', ...issue.path], issue.message, issue.at ?? 'value');
  }

  const names = Object.keys(def.states);
  const known = new Set(names);
  if (!known.has(def.start)) {
    at(
      ['start'],
      `start names the state "${def.start}", which does not exist${didYouMean(def.start, names)}`,
    );
  }

  const stepIds = new Map<string, string>();
  for (const [name, state] of Object.entries(def.states)) {
    checkExits(name, state, at);
    checkExperiment(name, state, def, at);
    for (const { target, path } of stateTargets(state)) {
      if (!known.has(target)) {
        at(
          ['states', name, ...path],
          `"${target}" is not a state of this workflow${didYouMean(target, names)}`,
        );
      }
    }
    state.steps?.forEach((step, i) => {
      if (!step.id) return;
      const first = stepIds.get(step.id);
      if (first)
        at(['states', name, 'steps', i, 'id'], `step id "${step.id}" is already used in state "${first}"`);
      else stepIds.set(step.id, name);
    });
  }

  if (known.has(def.start)) {
    const reached = reachable(def);
    for (const name of names) {
      if (!reached.has(name)) {
        at(['states', name], `state "${name}" can never be reached from "${def.start}"`, 'key');
      }
    }
    for (const loop of eventlessLoops(def)) {
      at(
        ['states', loop[0] ?? ''],
        `states ${loop.map((s) => `"${s}"`).join(' → ')} loop forever without a step or a wait`,
        'key',
      );
    }
  }
  return issues;
}

type At = (path: (string | number)[], message: string, where?: 'key' | 'value') => void;

function checkExits(name: string, state: StateDef, at: At): void {
  const base = ['states', name];
  const exits = (['next', 'choose', 'split', 'end'] as const).filter((k) => state[k] !== undefined);
  const wait = state.wait;
  if (wait && Object.keys(wait).length === 0) {
    at([...base, 'wait'], 'wait needs event, for, until, at or bestTime');
    return;
  }
  const waitKinds = wait
    ? (['event', 'for', 'until', 'at', 'bestTime'] as const).filter((k) => k in wait)
    : [];
  if (waitKinds.length > 1) {
    at([...base, 'wait'], `wait has ${waitKinds.join(' and ')}: keep one`);
  }
  if (wait && !('at' in wait) && 'weekdays' in wait) {
    at([...base, 'wait', 'weekdays'], 'weekdays only go with at: "HH:MM"');
  }
  if (wait && !isEventWait(wait) && ('timeout' in wait || 'where' in wait)) {
    at([...base, 'wait'], 'timeout and where only go with wait: { event }');
  }

  if (wait && isEventWait(wait)) {
    if (exits.length > 0) {
      at([...base, exits[0] as string], `a wait for an event is followed by on:, not ${exits[0]}`, 'key');
    }
    if (!state.on) {
      at([...base, 'wait'], 'say where to go when the event arrives: add on: { <event>: <state> }', 'key');
      return;
    }
    checkOn(name, state, at);
    return;
  }
  if (state.on) {
    at([...base, 'on'], 'on: only follows wait: { event: … }', 'key');
  }
  if (wait) {
    if (exits.includes('end')) {
      at([...base, 'end'], 'a delay is followed by next, choose or split, not end', 'key');
    } else if (exits.length === 0) {
      at([...base, 'wait'], 'after the wait, go somewhere: add next, choose or split', 'key');
    }
  } else if (exits.length === 0 && !state.on) {
    at(base, `state "${name}" has no way out: add next, choose, split, end, or wait + on`, 'key');
  }
  if (exits.length > 1) {
    at(
      [...base, exits[1] as string],
      `state "${name}" has two ways out (${exits.join(' and ')}): keep one`,
      'key',
    );
  }
  if (state.choose) checkBranches([...base, 'choose'], state.choose, at, true);
  if (state.split && state.split.reduce((sum, b) => sum + b.weight, 0) <= 0) {
    at([...base, 'split'], 'split weights must add up to more than 0');
  }
}

function checkExperiment(name: string, state: StateDef, def: WorkflowDef, at: At): void {
  const e = state.experiment;
  if (!e) return;
  const base = ['states', name, 'experiment'];
  if (!state.split) {
    at(base, 'an experiment goes with a split: add split with two arms or more', 'key');
    return;
  }
  if (state.split.length < 2) at([...base], 'an experiment needs two arms or more in split', 'key');
  const { event, outcome, where } = e.goal;
  if ((event === undefined) === (outcome === undefined)) {
    at([...base, 'goal'], 'the goal needs exactly one of event or outcome');
  } else if (where !== undefined && event === undefined) {
    at([...base, 'goal', 'where'], 'where only goes with a goal event', 'key');
  }
  if (event?.startsWith(RESERVED_EVENT_PREFIX)) {
    at([...base, 'goal', 'event'], `event types starting with "${RESERVED_EVENT_PREFIX}" are Tend's own`);
  }
  if (outcome !== undefined) {
    const outcomes = new Set([
      ...Object.values(def.states).flatMap((s) => (s.end === undefined ? [] : [s.end])),
      ...(def.exit ?? []).map((g) => g.outcome),
    ]);
    if (!outcomes.has(outcome))
      at(
        [...base, 'goal', 'outcome'],
        `no state ends with "${outcome}" and no exit goal gives it${didYouMean(outcome, [...outcomes])}`,
      );
  }
  if (typeof e.holdout === 'string' && Number.parseFloat(e.holdout) > 50) {
    at([...base, 'holdout'], 'the holdout is at most 50% of entrants');
  }
}

function checkOn(name: string, state: StateDef, at: At): void {
  const base = ['states', name, 'on'];
  const wait = state.wait as { event: string | string[]; timeout?: string };
  const events = Array.isArray(wait.event) ? wait.event : [wait.event];
  const on = state.on ?? {};
  for (const [key, value] of Object.entries(on)) {
    if (key === 'timeout') {
      if (wait.timeout === undefined) {
        at([...base, key], 'on.timeout needs wait.timeout (e.g. timeout: 7d)', 'key');
      }
    } else if (!events.includes(key)) {
      at(
        [...base, key],
        `the state waits for ${events.join(', ')}, not "${key}"${didYouMean(key, events)}`,
        'key',
      );
    }
    if (Array.isArray(value)) checkBranches([...base, key], value, at, false);
  }
  for (const event of events) {
    if (!(event in on)) at(base, `on: has no entry for "${event}"`, 'key');
    if (event.startsWith(RESERVED_EVENT_PREFIX)) {
      at(
        ['states', name, 'wait', 'event'],
        `event types starting with "${RESERVED_EVENT_PREFIX}" are Tend's own`,
      );
    }
  }
  if (wait.timeout !== undefined && !('timeout' in on)) {
    at(base, 'the wait has a timeout: say where to go with on.timeout', 'key');
  }
}

function checkBranches(path: (string | number)[], branches: Branch[], at: At, needsDefault: boolean) {
  const defaults = branches.flatMap((b, i) => (b.when === undefined ? [i] : []));
  for (const i of defaults) {
    if (i !== branches.length - 1) {
      at([...path, i], 'the branch without when (the default) must come last: branches after it never run');
    }
  }
  if (needsDefault && defaults.length === 0) {
    at(path, 'add a last branch without when (the default), so every customer has a way on', 'key');
  }
}

function reachable(def: WorkflowDef): Set<string> {
  const seen = new Set<string>([def.start]);
  const queue = [def.start];
  while (queue.length > 0) {
    const state = def.states[queue.pop() as string];
    if (!state) continue;
    for (const { target } of stateTargets(state)) {
      if (!seen.has(target) && def.states[target]) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

/** Cycles of states that have neither steps nor waits: they would spin in one transition. */
function eventlessLoops(def: WorkflowDef): string[][] {
  const instant = (s: StateDef) => !s.steps?.length && !s.wait;
  const loops: string[][] = [];
  const done = new Set<string>();
  const visit = (name: string, stack: string[]) => {
    const state = def.states[name];
    if (!state || !instant(state) || done.has(name)) return;
    const at = stack.indexOf(name);
    if (at >= 0) {
      loops.push(stack.slice(at).concat(name));
      return;
    }
    for (const { target } of stateTargets(state)) visit(target, [...stack, name]);
    done.add(name);
  };
  for (const name of Object.keys(def.states)) visit(name, []);
  return loops;
}
