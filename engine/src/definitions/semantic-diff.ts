import { isDeepStrictEqual } from 'node:util';
import type { StateDef, WorkflowDef } from './types.ts';

/** One way out of a state, e.g. `ask --on survey.answered [when …]--> thank`. */
export interface Transition {
  from: string;
  to: string;
  /** What takes it: next, a choose branch, an event, a timeout, a split, a step's onError. */
  via: string;
}

export interface WorkflowChanges {
  states: {
    added: string[];
    removed: string[];
    changed: { state: string; changes: string[] }[];
  };
  transitions: { added: Transition[]; removed: Transition[] };
  /** Changes outside the states: trigger, entry, exit goals, limits, start, name. */
  workflow: string[];
}

/**
 * What changed between two versions of a workflow, in the journey's own terms: states and the
 * transitions between them, then everything else. Works on parsed YAML, so an invalid file still
 * diffs as far as it has a shape.
 */
export function diffWorkflows(before: Partial<WorkflowDef>, after: Partial<WorkflowDef>): WorkflowChanges {
  const a = before.states ?? {};
  const b = after.states ?? {};
  const changed: { state: string; changes: string[] }[] = [];
  for (const name of Object.keys(b)) {
    const old = a[name];
    const now = b[name];
    if (!old || !now || isDeepStrictEqual(old, now)) continue;
    changed.push({ state: name, changes: stateChanges(old, now) });
  }
  const edges = (states: Record<string, StateDef>) =>
    new Map(transitions(states).map((t) => [edgeKey(t), t]));
  const ea = edges(a);
  const eb = edges(b);
  const workflow: string[] = [];
  for (const field of ['name', 'description', 'stage', 'start'] as const) {
    if (!isDeepStrictEqual(before[field], after[field]))
      workflow.push(`${field}: ${show(before[field])} → ${show(after[field])}`);
  }
  for (const field of ['trigger', 'entry', 'exit', 'limits'] as const) {
    if (!isDeepStrictEqual(before[field], after[field]))
      workflow.push(`${field}: ${show(before[field])} → ${show(after[field])}`);
  }
  return {
    states: {
      added: Object.keys(b).filter((s) => !a[s]),
      removed: Object.keys(a).filter((s) => !b[s]),
      changed,
    },
    transitions: {
      added: [...eb.values()].filter((t) => !ea.has(edgeKey(t))),
      removed: [...ea.values()].filter((t) => !eb.has(edgeKey(t))),
    },
    workflow,
  };
}

export const hasChanges = (c: WorkflowChanges) =>
  c.states.added.length + c.states.removed.length + c.states.changed.length > 0 ||
  c.transitions.added.length + c.transitions.removed.length > 0 ||
  c.workflow.length > 0;

/** Every transition of a set of states. */
export function transitions(states: Record<string, StateDef>): Transition[] {
  const out: Transition[] = [];
  for (const [from, s] of Object.entries(states)) {
    if (!s || typeof s !== 'object') continue;
    if (typeof s.next === 'string') out.push({ from, to: s.next, via: 'next' });
    for (const branch of Array.isArray(s.choose) ? s.choose : [])
      out.push({
        from,
        to: branch.next,
        via: branch.when ? `choose when ${branch.when}` : 'choose otherwise',
      });
    for (const branch of Array.isArray(s.split) ? s.split : [])
      out.push({
        from,
        to: branch.next,
        via: `split ${branch.label ?? ''} ${branch.weight}%`.replace('  ', ' '),
      });
    for (const [event, target] of Object.entries(s.on ?? {})) {
      if (typeof target === 'string') out.push({ from, to: target, via: `on ${event}` });
      else
        for (const branch of Array.isArray(target) ? target : [])
          out.push({ from, to: branch.next, via: `on ${event}${branch.when ? ` when ${branch.when}` : ''}` });
    }
    for (const [i, step] of (Array.isArray(s.steps) ? s.steps : []).entries()) {
      if (step && typeof step.onError === 'object')
        out.push({ from, to: step.onError.next, via: `step ${step.id ?? i + 1} failed` });
    }
  }
  return out;
}

const edgeKey = (t: Transition) => `${t.from}\n${t.to}\n${t.via}`;

function stateChanges(a: StateDef, b: StateDef): string[] {
  const out: string[] = [];
  const sa = a.steps ?? [];
  const sb = b.steps ?? [];
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const x = sa[i];
    const y = sb[i];
    const label = (s: typeof x) => (s ? `${s.id ? `${s.id} ` : ''}(${s.uses})` : '');
    if (x && !y) out.push(`step ${i + 1} removed: ${label(x)}`);
    else if (!x && y) out.push(`step ${i + 1} added: ${label(y)}`);
    else if (x && y && !isDeepStrictEqual(x, y)) {
      const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter(
        (k) => !isDeepStrictEqual((x as never)[k], (y as never)[k]),
      );
      out.push(`step ${i + 1} ${label(y)}: ${fields.join(', ')} changed`);
    }
  }
  if (!isDeepStrictEqual(a.wait, b.wait)) out.push(`wait: ${show(a.wait)} → ${show(b.wait)}`);
  if (!isDeepStrictEqual(a.end, b.end)) out.push(`end: ${show(a.end)} → ${show(b.end)}`);
  for (const field of ['next', 'choose', 'split', 'on'] as const) {
    if (!isDeepStrictEqual(a[field], b[field])) out.push(`${field} changed`);
  }
  if (!isDeepStrictEqual(a.description, b.description)) out.push('description changed');
  return out;
}

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
