import type { Graph } from './graph.ts';
import { TRIGGER } from './graph.ts';

export interface Box {
  width: number;
  height: number;
}

const NODE_GAP = 50;
const RANK_GAP = 70;
const SWEEPS = 4;

/**
 * A layered top-to-bottom layout in linear time per sweep, for journeys too large for dagre to
 * lay out interactively: ranks by longest path (loops broken at back edges), order within a rank
 * by the barycentre of neighbours, x by the parents' centre without overlaps. Returns top-left
 * corners.
 */
export function fastLayout(graph: Graph, box: (id: string) => Box): Record<string, { x: number; y: number }> {
  const ids = [TRIGGER, ...graph.states];
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of graph.edges) if (!e.dangling && e.source !== e.target) out.get(e.source)?.push(e.target);

  // Depth-first from the trigger (then any unreachable state): edges back to an ancestor are loops.
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const forward = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const root of ids) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [string, number];
      const [id, i] = top;
      const next = out.get(id)?.[i];
      if (next === undefined) {
        state.set(id, 'done');
        order.push(id);
        stack.pop();
        continue;
      }
      top[1] = i + 1;
      if (state.get(next) === 'open') continue;
      forward.get(id)?.push(next);
      if (!state.has(next)) {
        state.set(next, 'open');
        stack.push([next, 0]);
      }
    }
  }
  order.reverse();
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const id of order)
    for (const next of forward.get(id) ?? [])
      rank.set(next, Math.max(rank.get(next) ?? 0, (rank.get(id) ?? 0) + 1));

  const layers: string[][] = [];
  for (const id of order) {
    const r = rank.get(id) ?? 0;
    const layer = layers[r] ?? [];
    layer.push(id);
    layers[r] = layer;
  }
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [id, nexts] of forward) for (const n of nexts) parents.get(n)?.push(id);

  // Crossing reduction: sort each layer by the mean position of its neighbours, down then up.
  const pos = new Map<string, number>();
  const index = () => {
    for (const layer of layers) for (const [i, id] of (layer ?? []).entries()) pos.set(id, i);
  };
  const mean = (list: string[], fallback: number) =>
    list.length === 0 ? fallback : list.reduce((n, id) => n + (pos.get(id) ?? 0), 0) / list.length;
  index();
  for (let s = 0; s < SWEEPS; s++) {
    const down = s % 2 === 0;
    const range = down ? layers.keys() : [...layers.keys()].reverse();
    for (const r of range) {
      const layer = layers[r];
      if (!layer) continue;
      const key = new Map(
        layer.map((id) => [
          id,
          mean(down ? (parents.get(id) ?? []) : (forward.get(id) ?? []), pos.get(id) ?? 0),
        ]),
      );
      layer.sort((a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0));
      for (const [i, id] of layer.entries()) pos.set(id, i);
    }
  }

  // Coordinates: each node under the centre of its parents, pushed apart where they would overlap.
  const centre = new Map<string, number>();
  const result: Record<string, { x: number; y: number }> = {};
  let y = 0;
  for (const layer of layers) {
    if (!layer) continue;
    const wanted = layer.map((id) => {
      const ps = parents.get(id) ?? [];
      return ps.length ? ps.reduce((n, p) => n + (centre.get(p) ?? 0), 0) / ps.length : 0;
    });
    const xs: number[] = [];
    layer.forEach((id, i) => {
      const half = box(id).width / 2;
      const prev =
        i > 0 ? (xs[i - 1] as number) + box(layer[i - 1] as string).width / 2 + NODE_GAP + half : -Infinity;
      xs.push(Math.max(wanted[i] as number, prev));
    });
    // Shift the whole layer so that, on average, nodes sit where they wanted to.
    const drift = xs.reduce((n, x, i) => n + x - (wanted[i] as number), 0) / xs.length;
    let height = 0;
    layer.forEach((id, i) => {
      const b = box(id);
      const cx = (xs[i] as number) - drift;
      centre.set(id, cx);
      result[id] = { x: Math.round(cx - b.width / 2), y: Math.round(y) };
      height = Math.max(height, b.height);
    });
    y += height + RANK_GAP;
  }
  return result;
}
