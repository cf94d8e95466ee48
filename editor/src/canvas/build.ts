import { MarkerType } from '@xyflow/react';
import type { DraftDef } from '../model/def.ts';
import { type Graph, TRIGGER } from '../model/graph.ts';
import type { Issue } from '../model/issues.ts';
import { type Positions, placed } from '../model/layout.ts';
import type { CanvasNode, NodeMarks, Overlay, StateNode, TransitionEdge } from './types.ts';

const NO_MARKS: NodeMarks = {};

/**
 * Node data objects are reused while what they show is unchanged, so memoised nodes do not
 * re-render when another part of a large journey changes.
 */
export class NodeCache {
  #data = new Map<string, { key: string; data: unknown }>();

  reuse<T>(id: string, data: T): T {
    const key = JSON.stringify(data);
    const hit = this.#data.get(id);
    if (hit && hit.key === key) return hit.data as T;
    this.#data.set(id, { key, data });
    return data;
  }
}

export interface BuildInput {
  def: DraftDef;
  graph: Graph;
  auto: Positions;
  moved: Positions;
  issues: Map<string, Issue[]>;
  titles: Record<string, string>;
  overlay: Overlay;
  readOnly: boolean;
}

/** React Flow nodes for the trigger, each state, and (in a diff) the removed states as ghosts. */
export function buildNodes(input: BuildInput, cache: NodeCache): CanvasNode[] {
  const { def, graph, auto, moved, issues, titles, overlay, readOnly } = input;
  const messages = (id: string) => (issues.get(id) ?? []).map((i) => i.message);
  const nodes: CanvasNode[] = [
    {
      id: TRIGGER,
      type: 'trigger',
      position: placed(auto, moved, TRIGGER),
      deletable: false,
      data: cache.reuse(TRIGGER, {
        def: { trigger: def.trigger, exit: def.exit, limits: def.limits, entry: def.entry, name: def.name },
        issues: messages(TRIGGER),
        marks: overlay.nodes.get(TRIGGER) ?? NO_MARKS,
      }),
    },
  ];
  for (const name of graph.states) {
    const state = def.states[name] ?? {};
    nodes.push({
      id: name,
      type: 'state',
      position: placed(auto, moved, name),
      deletable: !readOnly,
      data: cache.reuse(name, {
        name,
        state,
        start: def.start === name,
        titles: pick(titles, state.steps?.map((s) => s.uses) ?? []),
        issues: messages(name),
        marks: overlay.nodes.get(name) ?? NO_MARKS,
        readOnly,
      }),
    });
  }
  for (const [name, state] of Object.entries(overlay.ghosts ?? {})) {
    const ghost: StateNode = {
      id: `ghost:${name}`,
      type: 'state',
      position: placed(auto, moved, name),
      selectable: false,
      draggable: false,
      connectable: false,
      deletable: false,
      data: { name, state, start: false, titles, issues: [], marks: { diff: 'removed' }, readOnly: true },
    };
    nodes.push(ghost);
  }
  return nodes;
}

function pick(titles: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (titles[k]) out[k] = titles[k];
  return out;
}

/** React Flow edges, one per transition, carrying counts and path marks from the overlay. */
export function buildEdges(graph: Graph, overlay: Overlay, readOnly: boolean): TransitionEdge[] {
  return graph.edges
    .filter((e) => !e.dangling)
    .map((e) => {
      const mark = overlay.edges.get(`${e.source}->${e.target}`);
      return {
        id: e.id,
        type: 'transition',
        source: e.source,
        target: e.target,
        deletable: !readOnly,
        reconnectable: readOnly ? false : 'target',
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        data: {
          ref: e.ref,
          cause: e.cause,
          dangling: e.dangling,
          ...(mark?.count !== undefined ? { count: mark.count } : {}),
          ...(mark?.onPath ? { onPath: true } : {}),
        },
      };
    });
}
