import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { triggerText } from './summaries.ts';
import type { TriggerNode } from './types.ts';

/** What starts the journey, its goals and limits: the journey's settings, at the top of the canvas. */
export const TriggerNodeView = memo(function TriggerNodeView({ data, selected }: NodeProps<TriggerNode>) {
  const t = useT();
  const { def, issues, marks } = data;
  const classes = [
    'node',
    'trigger-node',
    issues.length ? 'has-issues' : '',
    marks.diff ? `diff-${marks.diff}` : '',
    selected ? 'is-selected' : '',
  ];
  return (
    <div className={classes.join(' ')} data-state="__trigger">
      <div className="node-head">
        <span className="node-name">{t('node.trigger')}</span>
        {marks.live !== undefined && (
          <span className="live-count" title={t('live.started', { count: marks.live })}>
            {marks.live}
          </span>
        )}
      </div>
      <div className="trigger-what">{triggerText(t, def.trigger)}</div>
      {def.trigger.where && (
        <div className="step-detail">{t('trigger.onlyIf', { where: def.trigger.where })}</div>
      )}
      {def.exit.length > 0 && (
        <div className="node-goals">
          {t('node.goals')}: {def.exit.map((g) => `${g.event} → ${g.outcome}`).join(', ')}
        </div>
      )}
      {issues.length > 0 && (
        <ul className="node-issues" data-testid="issues-__trigger">
          {issues.slice(0, 2).map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
