import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { causeText } from './summaries.ts';
import type { TransitionEdge } from './types.ts';

/** A transition, labelled with what moves a customer along it (and, live, how many did). */
export const TransitionEdgeView = memo(function TransitionEdgeView(props: EdgeProps<TransitionEdge>) {
  const t = useT();
  const {
    id,
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    data,
    selected,
    markerEnd,
  } = props;
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  const label = data ? causeText(t, data.cause) : '';
  const classes = [
    'edge',
    data?.onPath ? 'on-path' : '',
    data?.cause.kind === 'error' ? 'error-edge' : '',
    selected ? 'is-selected' : '',
  ];
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={classes.join(' ')}
        interactionWidth={16}
      />
      {(label || data?.count !== undefined) && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label ${data?.cause.kind === 'when' && !data.cause.expression.trim() ? 'edge-label-missing' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
          >
            {label}
            {data?.count !== undefined && <span className="edge-count">{data.count}</span>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
