import type { DraftDef, StateDef } from './def.ts';
import { refId, type TransitionRef, transitions } from './refs.ts';

/** The trigger's node id (state names cannot start with `_`). */
export const TRIGGER = '__trigger';

/** What moves a customer along an edge, for its label. */
export type EdgeCause =
  | { kind: 'start' }
  | { kind: 'next' }
  | { kind: 'event'; event: string; when?: string }
  | { kind: 'timeout'; after: string | null }
  | { kind: 'when'; expression: string; label?: string }
  | { kind: 'otherwise'; label?: string }
  | { kind: 'weight'; weight: number; percent: number; label?: string }
  | { kind: 'error' };

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  ref: TransitionRef;
  cause: EdgeCause;
  /** The target is not a state of this journey (validation reports it). */
  dangling: boolean;
}

export interface Graph {
  states: string[];
  edges: GraphEdge[];
}

function causeOf(ref: TransitionRef, s: StateDef | undefined): EdgeCause {
  switch (ref.kind) {
    case 'start':
      return { kind: 'start' };
    case 'next':
      return { kind: 'next' };
    case 'onError':
      return { kind: 'error' };
    case 'choose': {
      const b = s?.choose?.[ref.index];
      return b?.when === undefined
        ? { kind: 'otherwise', ...(b?.label ? { label: b.label } : {}) }
        : { kind: 'when', expression: String(b.when), ...(b.label ? { label: b.label } : {}) };
    }
    case 'split': {
      const branches = s?.split ?? [];
      const total = branches.reduce((n, b) => n + (typeof b.weight === 'number' ? b.weight : 0), 0);
      const weight = Number(branches[ref.index]?.weight ?? 0);
      const label = branches[ref.index]?.label;
      return {
        kind: 'weight',
        weight,
        percent: total > 0 ? Math.round((weight / total) * 100) : 0,
        ...(label ? { label } : {}),
      };
    }
    case 'on': {
      if (ref.key === 'timeout') {
        const w = s?.wait;
        return { kind: 'timeout', after: w && 'timeout' in w && w.timeout ? String(w.timeout) : null };
      }
      const value = s?.on?.[ref.key];
      const b = Array.isArray(value) && ref.index !== undefined ? value[ref.index] : undefined;
      return { kind: 'event', event: ref.key, ...(b?.when !== undefined ? { when: String(b.when) } : {}) };
    }
  }
}

/** The journey as a graph: one node per state (plus the trigger), one edge per transition. */
export function toGraph(def: DraftDef): Graph {
  const states = Object.keys(def.states);
  const known = new Set(states);
  const edges = transitions(def).map((t) => ({
    id: refId(t.ref),
    source: t.from ?? TRIGGER,
    target: t.to,
    ref: t.ref,
    cause: causeOf(t.ref, t.from ? def.states[t.from] : undefined),
    dangling: !known.has(t.to),
  }));
  return { states, edges };
}
