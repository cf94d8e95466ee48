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
import { type DragEvent, useEffect, useMemo, useRef, useState } from 'react';
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
/** Above this many nodes only those on screen are rendered. */
const BIG = 100;
const DELETE_KEYS = ['Delete', 'Backspace'];
const PRO_OPTIONS = { hideAttribution: true };
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
  /**
   * The nodes selected now (the editor's selection): a node that appears under a new name (a
   * renamed state) is drawn selected, so the selection follows it instead of falling away.
   */
  selectedIds?: readonly string[];
  onConnect: (from: string | null, to: string) => void;
  onRetarget: (ref: TransitionRef, to: string) => void;
  onDelete: (states: string[], refs: TransitionRef[]) => void;
  onMove: (positions: Positions) => void;
  onDrop: (item: PaletteItem, at: { x: number; y: number }, onto: string | null) => void;
  onReady?: () => void;
}

/**
 * Room kept around the journey when it is fitted to the screen, as a share of the canvas: 15 % of
 * even a narrow canvas (400 px) is wider than the zoom controls in the bottom-left corner (about
 * 50 px with their margin), so a fitted journey never lies under them.
 */
export const FIT_PADDING = 0.15;

/** The journey as a graph: React Flow, controlled by the YAML (nodes are derived, never the source). */
export function Canvas(props: CanvasProps) {
  const t = useT();
  const rf = useReactFlow<CanvasNode, TransitionEdge>();
  const cache = useRef(new NodeCache());
  const wrapper = useRef<HTMLDivElement>(null);
  // Handlers read the latest props through a ref, so React Flow gets the same functions on every
  // render (a changed handler prop makes it update its store, which re-renders every node).
  const latest = useRef(props);
  latest.current = props;
  const { def, graph, auto, moved, issues, titles, overlay, readOnly } = props;
  const derived = useMemo(
    () => buildNodes({ def, graph, auto, moved, issues, titles, overlay, readOnly }, cache.current),
    [def, graph, auto, moved, issues, titles, overlay, readOnly],
  );
  const edges = useMemo(() => buildEdges(graph, overlay, readOnly), [graph, overlay, readOnly]);
  const [nodes, setNodes] = useState<CanvasNode[]>(derived);
  const shown = useRef(derived);
  // While a node or a connection is being dragged, React Flow must not get new nodes (validation
  // results arriving then would cancel the gesture); they are applied when it ends.
  const gesture = useRef(false);
  const [gestureEnded, setGestureEnded] = useState(0);

  // Keep what React Flow knows of each node (measured size, selection) across re-derivations.
  // biome-ignore lint/correctness/useExhaustiveDependencies: gestureEnded applies what waited for a gesture to end
  useEffect(() => {
    if (shown.current === derived || gesture.current) return;
    shown.current = derived;
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      // An unchanged node keeps its very object: React Flow then leaves it alone (a connection
      // being dragged from it, say, is not disturbed by validation results arriving).
      const next = derived.map((n) => {
        const o = old.get(n.id);
        if (!o)
          return latest.current.selectedIds?.includes(n.id) ? ({ ...n, selected: true } as CanvasNode) : n;
        if (
          o.data === n.data &&
          o.position.x === n.position.x &&
          o.position.y === n.position.y &&
          o.deletable === n.deletable
        )
          return o;
        return { ...n, measured: o.measured, selected: o.selected } as CanvasNode;
      });
      return next.length === prev.length && next.every((n, i) => n === prev[i]) ? prev : next;
    });
  }, [derived, gestureEnded]);

  const handlers = useMemo(
    () => ({
      onNodesChange(changes: NodeChange<CanvasNode>[]) {
        setNodes((ns) => applyNodeChanges(changes, ns));
        // A finished drag, or a move with the arrow keys, is a position people chose: keep it.
        const done: Positions = {};
        for (const c of changes)
          if (c.type === 'position' && c.position && !c.dragging) done[c.id] = c.position;
        if (Object.keys(done).length > 0) latest.current.onMove(done);
      },
      onSelectionChange({ nodes: ns, edges: es }: OnSelectionChangeParams<CanvasNode, TransitionEdge>) {
        const edge = es[0];
        const select = latest.current.onSelect;
        if (ns.length > 0 && ns[0]) select({ kind: 'node', id: ns[0].id, ids: ns.map((n) => n.id) });
        else if (edge?.data) select({ kind: 'edge', id: edge.id, ref: edge.data.ref });
        else select({ kind: 'none' });
      },
      onConnectStart: () => {
        gesture.current = true;
      },
      onConnectEnd: () => {
        gesture.current = false;
        setGestureEnded((n) => n + 1);
      },
      onNodeDragStart: () => {
        gesture.current = true;
      },
      onNodeDragStop: () => {
        gesture.current = false;
        setGestureEnded((n) => n + 1);
      },
      onConnect: (c: Connection) =>
        latest.current.onConnect(c.source === TRIGGER ? null : c.source, c.target),
      isValidConnection: (c: Connection | TransitionEdge) =>
        c.target !== TRIGGER && !String(c.target).startsWith('ghost:'),
      onReconnect(old: TransitionEdge, c: Connection) {
        if (old.data && c.target) latest.current.onRetarget(old.data.ref, c.target);
      },
      async onBeforeDelete({ nodes: ns, edges: es }: { nodes: CanvasNode[]; edges: TransitionEdge[] }) {
        latest.current.onDelete(
          ns.map((n) => n.id).filter((id) => id !== TRIGGER && !id.startsWith('ghost:')),
          es.flatMap((e) => (e.data ? [e.data.ref] : [])),
        );
        return false;
      },
      onDragOver(e: DragEvent) {
        if (latest.current.readOnly) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDrop(e: DragEvent) {
        const raw = e.dataTransfer.getData(PALETTE_MIME);
        if (!raw || latest.current.readOnly) return;
        e.preventDefault();
        const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        const onto = (e.target as Element).closest?.('.react-flow__node')?.getAttribute('data-id') ?? null;
        latest.current.onDrop(JSON.parse(raw) as PaletteItem, at, onto && onto !== TRIGGER ? onto : null);
      },
      onInit(instance: { setViewport(v: { x: number; y: number; zoom: number }): Promise<boolean> }) {
        // An empty journey: the trigger at the top, with room below it to draw the journey.
        const width = wrapper.current?.clientWidth ?? 0;
        if (latest.current.graph.states.length === 0 && width > 0)
          void instance.setViewport({ x: width / 2 - NODE_WIDTH / 2, y: 40, zoom: 1 });
        latest.current.onReady?.();
      },
    }),
    [rf],
  );

  // A large journey opens on its first states, so only what is on screen is drawn.
  const big = derived.length > BIG;
  const [fitOptions] = useState(() => ({
    padding: FIT_PADDING,
    maxZoom: 1,
    ...(big
      ? {
          minZoom: 0.5,
          nodes: [...derived]
            .sort((a, b) => a.position.y - b.position.y)
            .slice(0, 12)
            .map((n) => ({ id: n.id })),
        }
      : {}),
  }));
  const ariaLabels = useMemo(
    () => ({
      'node.a11yDescription.default': t('canvas.nodeHelp'),
      'edge.a11yDescription.default': t('canvas.edgeHelp'),
      'controls.ariaLabel': t('canvas.controls'),
      'controls.zoomIn.ariaLabel': t('canvas.zoomIn'),
      'controls.zoomOut.ariaLabel': t('canvas.zoomOut'),
      'controls.fitView.ariaLabel': t('canvas.fit'),
      'minimap.ariaLabel': t('canvas.minimap'),
    }),
    [t],
  );
  return (
    <div ref={wrapper} className="canvas-size">
      <ReactFlow<CanvasNode, TransitionEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        {...handlers}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesFocusable
        nodesFocusable
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        onlyRenderVisibleElements={big}
        minZoom={0.05}
        maxZoom={2}
        fitView={graph.states.length > 0}
        fitViewOptions={fitOptions}
        proOptions={PRO_OPTIONS}
        ariaLabelConfig={ariaLabels}
        aria-label={t('canvas.label')}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        {graph.states.length > 6 && <MiniMap pannable zoomable nodeStrokeWidth={3} />}
      </ReactFlow>
    </div>
  );
}
