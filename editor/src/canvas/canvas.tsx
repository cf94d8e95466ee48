import {
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  MiniMap,
  type NodeChange,
  type OnSelectionChangeParams,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { DraftDef } from '../model/def.ts';
import { type Graph, TRIGGER } from '../model/graph.ts';
import type { Issue } from '../model/issues.ts';
import { NODE_WIDTH, type Positions } from '../model/layout.ts';
import type { PaletteItem } from '../model/ops.ts';
import type { TransitionRef } from '../model/refs.ts';
import { buildEdges, buildNodes, NodeCache } from './build.ts';
import { PALETTE_MIME } from './palette.tsx';
import { StateNodeView } from './state-node.tsx';
import { TransitionEdgeView } from './transition-edge.tsx';
import { TriggerNodeView } from './trigger-node.tsx';
import type { CanvasNode, Overlay, TransitionEdge } from './types.ts';

const nodeTypes = { state: StateNodeView, trigger: TriggerNodeView };
const edgeTypes = { transition: TransitionEdgeView };

export type Selection =
  | { kind: 'none' }
  | { kind: 'node'; id: string; ids: string[] }
  | { kind: 'edge'; id: string; ref: TransitionRef };

export interface CanvasProps {
  def: DraftDef;
  graph: Graph;
  auto: Positions;
  moved: Positions;
  issues: Map<string, Issue[]>;
  titles: Record<string, string>;
  overlay: Overlay;
  readOnly: boolean;
  onSelect: (selection: Selection) => void;
  onConnect: (from: string | null, to: string) => void;
  onRetarget: (ref: TransitionRef, to: string) => void;
  onDelete: (states: string[], refs: TransitionRef[]) => void;
  onMove: (positions: Positions) => void;
  onDrop: (item: PaletteItem, at: { x: number; y: number }, onto: string | null) => void;
  onReady?: () => void;
}

/** The journey as a graph: React Flow, controlled by the YAML (nodes are derived, never the source). */
export function Canvas(props: CanvasProps) {
  const t = useT();
  const rf = useReactFlow<CanvasNode, TransitionEdge>();
  const cache = useRef(new NodeCache());
  const wrapper = useRef<HTMLDivElement>(null);
  const { def, graph, auto, moved, issues, titles, overlay, readOnly, onMove, onSelect } = props;
  const derived = useMemo(
    () => buildNodes({ def, graph, auto, moved, issues, titles, overlay, readOnly }, cache.current),
    [def, graph, auto, moved, issues, titles, overlay, readOnly],
  );
  const edges = useMemo(() => buildEdges(graph, overlay, readOnly), [graph, overlay, readOnly]);
  const [nodes, setNodes] = useState<CanvasNode[]>(derived);

  // Keep what React Flow knows of each node (measured size, selection) across re-derivations.
  useEffect(() => {
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return derived.map((n) => {
        const o = old.get(n.id);
        return o ? ({ ...n, measured: o.measured, selected: o.selected } as CanvasNode) : n;
      });
    });
  }, [derived]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      setNodes((ns) => applyNodeChanges(changes, ns));
      // A finished drag, or a move with the arrow keys, is a position people chose: keep it.
      const done: Positions = {};
      for (const c of changes)
        if (c.type === 'position' && c.position && !c.dragging) done[c.id] = c.position;
      if (Object.keys(done).length > 0) onMove(done);
    },
    [onMove],
  );

  const onSelectionChange = useCallback(
    ({ nodes: ns, edges: es }: OnSelectionChangeParams<CanvasNode, TransitionEdge>) => {
      const edge = es[0];
      if (ns.length > 0 && ns[0]) onSelect({ kind: 'node', id: ns[0].id, ids: ns.map((n) => n.id) });
      else if (edge?.data) onSelect({ kind: 'edge', id: edge.id, ref: edge.data.ref });
      else onSelect({ kind: 'none' });
    },
    [onSelect],
  );

  const onDrop = (e: DragEvent) => {
    const raw = e.dataTransfer.getData(PALETTE_MIME);
    if (!raw || readOnly) return;
    e.preventDefault();
    const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const onto = (e.target as Element).closest?.('.react-flow__node')?.getAttribute('data-id') ?? null;
    props.onDrop(JSON.parse(raw) as PaletteItem, at, onto && onto !== TRIGGER ? onto : null);
  };

  const big = derived.length > 200;
  return (
    <div ref={wrapper} className="canvas-size">
      <ReactFlow<CanvasNode, TransitionEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onSelectionChange={onSelectionChange}
        onConnect={(c: Connection) => props.onConnect(c.source === TRIGGER ? null : c.source, c.target)}
        isValidConnection={(c) => c.target !== TRIGGER && !String(c.target).startsWith('ghost:')}
        onReconnect={(old, c) => old.data && c.target && props.onRetarget(old.data.ref, c.target)}
        onBeforeDelete={async ({ nodes: ns, edges: es }) => {
          props.onDelete(
            ns.map((n) => n.id).filter((id) => id !== TRIGGER && !id.startsWith('ghost:')),
            es.flatMap((e) => (e.data ? [e.data.ref] : [])),
          );
          return false;
        }}
        onDragOver={(e) => {
          if (readOnly) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDrop={onDrop}
        onInit={(instance) => {
          // An empty journey: the trigger at the top, with room below it to draw the journey.
          const width = wrapper.current?.clientWidth ?? 0;
          if (graph.states.length === 0 && width > 0)
            void instance.setViewport({ x: width / 2 - NODE_WIDTH / 2, y: 40, zoom: 1 });
          props.onReady?.();
        }}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesFocusable
        nodesFocusable
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        onlyRenderVisibleElements={big}
        minZoom={0.05}
        maxZoom={2}
        fitView={graph.states.length > 0}
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={{
          'node.a11yDescription.default': t('canvas.nodeHelp'),
          'edge.a11yDescription.default': t('canvas.edgeHelp'),
          'controls.ariaLabel': t('canvas.controls'),
          'controls.zoomIn.ariaLabel': t('canvas.zoomIn'),
          'controls.zoomOut.ariaLabel': t('canvas.zoomOut'),
          'controls.fitView.ariaLabel': t('canvas.fit'),
          'minimap.ariaLabel': t('canvas.minimap'),
        }}
        aria-label={t('canvas.label')}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        {graph.states.length > 6 && <MiniMap pannable zoomable nodeStrokeWidth={3} />}
      </ReactFlow>
    </div>
  );
}
