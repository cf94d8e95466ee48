import dagre from '@dagrejs/dagre';
import type { StateDef } from './def.ts';
import { type Graph, TRIGGER } from './graph.ts';

export type XY = { x: number; y: number };
export type Positions = Record<string, XY>;

export const NODE_WIDTH = 260;

/** A node's height before it is measured: the header, one line per step, the wait and the exit. */
export function estimateHeight(s: StateDef | undefined): number {
  if (!s) return 90;
  return 58 + (s.steps?.length ?? 0) * 26 + (s.wait ? 26 : 0) + (s.end !== undefined ? 26 : 0);
}

/**
 * Top-to-bottom layered layout of the whole journey (dagre). Large journeys use the longest-path
 * ranker, which is linear, instead of network simplex, so a 1,000-state journey lays out quickly.
 */
export function autoLayout(graph: Graph, states: Record<string, StateDef>): Positions {
  const g = new dagre.graphlib.Graph();
  const big = graph.states.length > 150;
  g.setGraph({
    rankdir: 'TB',
    nodesep: 50,
    ranksep: 70,
    marginx: 20,
    marginy: 20,
    ranker: big ? 'longest-path' : 'network-simplex',
  });
  g.setDefaultEdgeLabel(() => ({}));
  g.setNode(TRIGGER, { width: NODE_WIDTH, height: 80 });
  for (const name of graph.states)
    g.setNode(name, { width: NODE_WIDTH, height: estimateHeight(states[name]) });
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
