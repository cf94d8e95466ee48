import type { DraftDef, StateDef } from './def.ts';
import { awaitedEvents } from './def.ts';
import type { Path } from './yaml-edit.ts';

/** Where in the YAML a transition is written: the thing an edge on the canvas stands for. */
export type TransitionRef =
  | { kind: 'start' }
  | { kind: 'next'; state: string }
  | { kind: 'choose'; state: string; index: number }
  | { kind: 'split'; state: string; index: number }
  | { kind: 'on'; state: string; key: string; index?: number }
  | { kind: 'onError'; state: string; step: number };

/** A transition with where it goes. */
export interface Transition {
  ref: TransitionRef;
  from: string | null;
  to: string;
}

/** Every transition of the journey, in the order the YAML lists them. */
export function transitions(def: DraftDef): Transition[] {
  const out: Transition[] = [];
  if (def.start) out.push({ ref: { kind: 'start' }, from: null, to: def.start });
  for (const [state, s] of Object.entries(def.states)) out.push(...transitionsOf(state, s));
  return out;
}

export function transitionsOf(state: string, s: StateDef): Transition[] {
  const out: Transition[] = [];
  const add = (ref: TransitionRef, to: unknown) => {
    if (typeof to === 'string' && to !== '') out.push({ ref, from: state, to });
  };
  for (const [i, step] of (s.steps ?? []).entries()) {
    if (typeof step.onError === 'object' && step.onError)
      add({ kind: 'onError', state, step: i }, step.onError.next);
  }
  if (s.next !== undefined) add({ kind: 'next', state }, s.next);
  for (const [i, b] of (s.choose ?? []).entries()) add({ kind: 'choose', state, index: i }, b.next);
  for (const [i, b] of (s.split ?? []).entries()) add({ kind: 'split', state, index: i }, b.next);
  for (const [key, value] of Object.entries(s.on ?? {})) {
    if (typeof value === 'string') add({ kind: 'on', state, key }, value);
    else for (const [i, b] of value.entries()) add({ kind: 'on', state, key, index: i }, b.next);
  }
  return out;
}

/** The YAML path of a transition's own entry (what deleting the edge removes). */
export function refPath(ref: TransitionRef): Path {
  switch (ref.kind) {
    case 'start':
      return ['start'];
    case 'next':
      return ['states', ref.state, 'next'];
    case 'choose':
      return ['states', ref.state, 'choose', ref.index];
    case 'split':
      return ['states', ref.state, 'split', ref.index];
    case 'on':
      return ref.index === undefined
        ? ['states', ref.state, 'on', ref.key]
        : ['states', ref.state, 'on', ref.key, ref.index];
    case 'onError':
      return ['states', ref.state, 'steps', ref.step, 'onError'];
  }
}

/** A stable id for an edge on the canvas. */
export function refId(ref: TransitionRef): string {
  const p = refPath(ref);
  return `t:${p.join('/')}`;
}

/** Event keys of a waiting state that no transition handles yet (then `timeout` if the wait has one). */
export function freeOnKeys(s: StateDef): string[] {
  const on = s.on ?? {};
  const keys = awaitedEvents(s.wait).filter((e) => on[e] === undefined);
  if (s.wait && 'timeout' in s.wait && s.wait.timeout !== undefined && on.timeout === undefined)
    keys.push('timeout');
  return keys;
}
