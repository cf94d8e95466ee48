import dagre from '@dagrejs/dagre';
import type { StateDef } from './def.ts';
import { fastLayout } from './fast-layout.ts';
import { type Graph, TRIGGER } from './graph.ts';

export type XY = { x: number; y: number };
export type Positions = Record<string, XY>;

export const NODE_WIDTH = 260;

/** A node's height before it is measured: the header, one line per step, the wait and the exit. */
export function estimateHeight(s: StateDef | undefined): number {
  if (!s) return 90;
  return 58 + (s.steps?.length ?? 0) * 26 + (s.wait ? 26 : 0) + (s.end !== undefined ? 26 : 0);
}

/** Above this many states dagre takes longer than a person will wait (≈ 250 ms at 50 here). */
const DAGRE_LIMIT = 40;

/**
 * Top-to-bottom layered layout of the whole journey: dagre for journeys of up to 40 states (its
 * crossing reduction and placement read best), a linear-time layered layout beyond that (dagre
 * needs 14 s for 500 states on these machines).
 */
export function autoLayout(graph: Graph, states: Record<string, StateDef>): Positions {
  const box = (id: string) => ({
    width: NODE_WIDTH,
    height: id === TRIGGER ? 80 : estimateHeight(states[id]),
  });
  if (graph.states.length > DAGRE_LIMIT) return fastLayout(graph, box);
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of [TRIGGER, ...graph.states]) g.setNode(id, box(id));
  for (const e of graph.edges) {
    if (!e.dangling && e.source !== e.target) g.setEdge(e.source, e.target);
  }
  dagre.layout(g);
  const out: Positions = {};
  for (const id of g.nodes()) {
    const n = g.node(id);
    if (n) out[id] = { x: Math.round(n.x - n.width / 2), y: Math.round(n.y - n.height / 2) };
  }
  return out;
}

/** Positions to draw: where people put nodes, else where the layout put them. */
export function placed(auto: Positions, moved: Positions, id: string): XY {
  return moved[id] ?? auto[id] ?? { x: 0, y: 0 };
}
