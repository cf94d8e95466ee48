import type { NodeMarks, Overlay } from '../canvas/types.ts';
import type { DraftDef } from '../model/def.ts';
import type { Change } from '../model/diff.ts';
import { TRIGGER } from '../model/graph.ts';

export const EMPTY_OVERLAY: Overlay = { nodes: new Map(), edges: new Map() };

/** The diff view: changed nodes marked, states only in the base drawn as ghosts. */
export function diffOverlay(changes: Map<string, Change>, base: DraftDef): Overlay {
  const nodes = new Map<string, NodeMarks>();
  const ghosts: Overlay['ghosts'] = {};
  for (const [name, change] of changes) {
    if (change === 'removed') {
      const state = base.states[name];
      if (state) ghosts[name] = state;
    } else nodes.set(name, { diff: change });
  }
  return { nodes, edges: new Map(), ghosts };
}

/** The preview: the states a customer went through, where they are now, and the edges taken. */
export function pathOverlay(path: string[], current: string | null): Overlay {
  const nodes = new Map<string, NodeMarks>();
  const edges = new Map<string, { onPath: boolean }>();
  for (const state of path) nodes.set(state, { path: 'visited' });
  if (current) nodes.set(current, { path: 'current' });
  nodes.set(TRIGGER, { path: 'visited' });
  [TRIGGER, ...path].forEach((from, i) => {
    const to = path[i];
    if (to) edges.set(`${from}->${to}`, { onPath: true });
  });
  return { nodes, edges };
}

export interface LiveData {
  started: number;
  active: number;
  states: { state: string; count: number }[];
  edges: { from: string | null; to: string; count: number }[];
  outcomes: { status: string; outcome: string | null; count: number }[];
  /** Runs that failed, by state and error. */
  failures: { state: string; code: string | null; message: string | null; count: number }[];
  goals: string[];
  conversion: number | null;
}

/** The live view: customers per state, along each edge, and how many ended in each end state. */
export function liveOverlay(live: LiveData, def: DraftDef): Overlay {
  const nodes = new Map<string, NodeMarks>();
  const edges = new Map<string, { count: number }>();
  for (const name of Object.keys(def.states)) nodes.set(name, { live: 0 });
  for (const s of live.states) nodes.set(s.state, { live: s.count });
  nodes.set(TRIGGER, { live: live.started });
  for (const e of live.edges) edges.set(`${e.from ?? TRIGGER}->${e.to}`, { count: e.count });
  for (const [name, state] of Object.entries(def.states)) {
    if (state.end === undefined) continue;
    const count = live.outcomes.filter((o) => o.outcome === state.end).reduce((n, o) => n + o.count, 0);
    nodes.set(name, {
      ...nodes.get(name),
      ended: { count, share: live.started ? count / live.started : null },
    });
  }
  return { nodes, edges };
}
