import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { exitText, stepDetail, waitText } from './summaries.ts';
import type { StateNode } from './types.ts';

/** One state: its steps, its wait, how it ends; with issues, live counts and diff marks. */
export const StateNodeView = memo(function StateNodeView({ data, selected }: NodeProps<StateNode>) {
  const t = useT();
  const { name, state, start, titles, issues, marks, readOnly } = data;
  const classes = [
    'node',
    'state-node',
    state.end !== undefined ? 'end-node' : '',
    marks.diff ? `diff-${marks.diff}` : '',
    marks.path ? `path-${marks.path}` : '',
    issues.length > 0 ? 'has-issues' : '',
    selected ? 'is-selected' : '',
  ].join(' ');
  const exit = exitText(t, state);
  return (
    <div className={classes} data-state={name}>
      <Handle type="target" position={Position.Top} isConnectable={!readOnly} />
      <div className="node-head">
        <span className="node-name">{name}</span>
        {start && <span className="tag">{t('node.start')}</span>}
        {marks.diff && <span className={`tag diff-tag-${marks.diff}`}>{t(`diff.${marks.diff}`)}</span>}
        {marks.live !== undefined && marks.live > 0 && (
          <span
            className="live-count"
            title={t('live.here', { count: marks.live })}
            data-testid={`live-${name}`}
          >
            {marks.live}
          </span>
        )}
      </div>
      {state.steps && state.steps.length > 0 && (
        <ol className="node-steps">
          {state.steps.map((step, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional; their index is their identity
            <li key={i}>
              <span className="step-title">{titles[step.uses] ?? step.uses}</span>
              {stepDetail(step) && <span className="step-detail">{stepDetail(step)}</span>}
            </li>
          ))}
        </ol>
      )}
      {state.wait && <div className="node-wait">{waitText(t, state.wait)}</div>}
      {exit && <div className="node-exit">{exit}</div>}
      {marks.ended && (
        <div className="node-ended" data-testid={`ended-${name}`}>
          {t('live.ended', { count: marks.ended.count })}
          {marks.ended.share !== null && ` · ${Math.round(marks.ended.share * 100)}%`}
        </div>
      )}
      {issues.length > 0 && (
        <ul className="node-issues" data-testid={`issues-${name}`}>
          {issues.slice(0, 2).map((message) => (
            <li key={message} title={message}>
              {message}
            </li>
          ))}
          {issues.length > 2 && <li>{t('node.moreIssues', { count: issues.length - 2 })}</li>}
        </ul>
      )}
      {state.end === undefined && (
        <Handle type="source" position={Position.Bottom} isConnectable={!readOnly} />
      )}
    </div>
  );
});
