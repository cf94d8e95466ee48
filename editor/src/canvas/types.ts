import type { Edge, Node } from '@xyflow/react';
import type { DraftDef, StateDef } from '../model/def.ts';
import type { Change } from '../model/diff.ts';
import type { EdgeCause } from '../model/graph.ts';
import type { TransitionRef } from '../model/refs.ts';

/** How the canvas marks a node: diff against the published version, the preview's path, live counts. */
export interface NodeMarks {
  diff?: Change;
  path?: 'visited' | 'current';
  /** Customers in this state now (live view). */
  live?: number;
  /** Runs that ended here, and their share of all started (live view, end states). */
  ended?: { count: number; share: number | null };
}

export type StateNodeData = {
  name: string;
  state: StateDef;
  start: boolean;
  titles: Record<string, string>;
  issues: string[];
  marks: NodeMarks;
  readOnly: boolean;
};

export type TriggerNodeData = {
  def: Pick<DraftDef, 'trigger' | 'exit' | 'limits' | 'entry' | 'name'>;
  issues: string[];
  marks: NodeMarks;
};

export type StateNode = Node<StateNodeData, 'state'>;
export type TriggerNode = Node<TriggerNodeData, 'trigger'>;
export type CanvasNode = StateNode | TriggerNode;

export type TransitionEdgeData = {
  ref: TransitionRef;
  cause: EdgeCause;
  count?: number;
  onPath?: boolean;
  dangling: boolean;
  diff?: Change;
};
export type TransitionEdge = Edge<TransitionEdgeData, 'transition'>;

/** Overlays the editor's modes put on the canvas. */
export interface Overlay {
  nodes: Map<string, NodeMarks>;
  edges: Map<string, { count?: number; onPath?: boolean }>;
  /** States only in the compared version (drawn as ghosts in the diff view). */
  ghosts?: Record<string, StateDef>;
}
