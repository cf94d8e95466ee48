import type { EditorHost } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import type { Task } from './task.ts';
import { type TaskAction, TaskActionDialog } from './task-action-dialog.tsx';
import { OUTCOMES, TEXT } from './texts.ts';

const link = (host: EditorHost, path: string, text: string) => (
  <a
    href={path}
    onClick={(e) => {
      e.preventDefault();
      host.navigate(path);
    }}
  >
    {text}
  </a>
);

/** Tasks with what to do about each: open ones can be completed, snoozed or reassigned. */
export function TaskTable({
  host,
  tasks,
  now,
  showCustomer,
  onChanged,
}: {
  host: EditorHost;
  tasks: Task[];
  /** The engine's time the list was loaded at. */
  now: string;
  showCustomer: boolean;
  onChanged: (what: string) => void;
}) {
  const [acting, setActing] = useState<{ task: Task; action: TaskAction } | null>(null);
  if (tasks.length === 0) return <p className="muted">{host.text(TEXT.none)}</p>;
  const outcomeLabel = (value: string) => {
    const known = OUTCOMES.find((o) => o.value === value);
    return known ? host.text(known.label) : value;
  };
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th>{host.text(TEXT.task)}</th>
            {showCustomer && <th>{host.text(TEXT.customer)}</th>}
            <th>{host.text(TEXT.due)}</th>
            <th>{host.text(TEXT.assignee)}</th>
            <th>{host.text(TEXT.journey)}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.id}>
              <td>
                {t.title}
                {t.note && <div className="muted small">{t.note}</div>}
                {t.status === 'done' && (
                  <div className="small">
                    {host.text(TEXT.outcome)}: {t.outcome ? outcomeLabel(t.outcome) : '—'}
                    {t.completionNote && <span className="muted"> · {t.completionNote}</span>}
                  </div>
                )}
              </td>
              {showCustomer && (
                <td>{link(host, `/customers/${encodeURIComponent(t.customerId)}`, t.customerId)}</td>
              )}
              <td>
                {host.formatDateTime(t.status === 'done' && t.completedAt ? t.completedAt : t.dueAt)}
                {t.overdue && <span className="badge stage-win-back"> {host.text(TEXT.overdueBadge)}</span>}
              </td>
              <td>{t.assignee}</td>
              <td>
                {t.workflowId
                  ? link(host, `/workflows/${encodeURIComponent(t.workflowId)}`, t.workflowId)
                  : '—'}
              </td>
              <td className="actions">
                {t.status === 'open' && host.canServe && (
                  <>
                    <button
                      type="button"
                      className="small primary"
                      onClick={() => setActing({ task: t, action: 'complete' })}
                    >
                      {host.text(TEXT.complete)}
                    </button>
                    <button
                      type="button"
                      className="small"
                      onClick={() => setActing({ task: t, action: 'snooze' })}
                    >
                      {host.text(TEXT.snooze)}
                    </button>
                    <button
                      type="button"
                      className="small"
                      onClick={() => setActing({ task: t, action: 'reassign' })}
                    >
                      {host.text(TEXT.reassign)}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {acting && (
        <TaskActionDialog
          host={host}
          task={acting.task}
          action={acting.action}
          now={now}
          onClose={() => setActing(null)}
          onDone={(what) => {
            setActing(null);
            onChanged(what);
          }}
        />
      )}
    </>
  );
}
