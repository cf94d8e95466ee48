import { type EditorHost, localize } from '@tend/plugin-sdk/editor';
import { addDays, localParts, zonedToInstant } from '@tend/plugin-sdk/time';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { fromLocalInput } from './local-input.ts';
import type { Task } from './task.ts';
import { OUTCOMES, TEXT } from './texts.ts';

export type TaskAction = 'complete' | 'snooze' | 'reassign';

/** Snooze choices, as moments in the viewer's zone ("tomorrow 9:00" is their 9:00). */
function snoozePresets(now: Date, zone: string) {
  const today = localParts(now, zone);
  return [
    { label: TEXT.inOneHour, at: new Date(now.getTime() + 3_600_000) },
    { label: TEXT.tomorrowMorning, at: zonedToInstant({ ...addDays(today, 1), hour: 9, minute: 0 }, zone) },
    { label: TEXT.inThreeDays, at: zonedToInstant({ ...addDays(today, 3), hour: 9, minute: 0 }, zone) },
    { label: TEXT.nextWeek, at: zonedToInstant({ ...addDays(today, 7), hour: 9, minute: 0 }, zone) },
  ];
}

/** Completes, snoozes or reassigns one task; says what the engine answered when it refuses. */
export function TaskActionDialog({
  host,
  task,
  action,
  now,
  onDone,
  onClose,
}: {
  host: EditorHost;
  task: Task;
  /** The engine's time when the list was loaded (what snoozing counts from). */
  now: string;
  action: TaskAction;
  onDone: (what: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [outcome, setOutcome] = useState<string>(OUTCOMES[0].value);
  const [other, setOther] = useState('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [assignee, setAssignee] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const presets = snoozePresets(new Date(now), host.timeZone);
  const titles = { complete: TEXT.completeTitle, snooze: TEXT.snoozeTitle, reassign: TEXT.reassignTitle };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const path = `/api/tasks/${task.id}/${action}`;
      if (action === 'complete') {
        const chosen = outcome === '' ? other.trim() : outcome;
        await host.send('POST', path, { ...(chosen ? { outcome: chosen } : {}), ...(note ? { note } : {}) });
      } else if (action === 'snooze') {
        const at = fromLocalInput(until, host.timeZone);
        await host.send('POST', path, { until: at ? at.toISOString() : until, reason });
      } else {
        await host.send('POST', path, { assignee: assignee.trim(), reason });
      }
      onDone(host.text(TEXT[action]));
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} onClose={onClose} className="dialog" aria-labelledby="task-action-title">
      <form onSubmit={submit}>
        <h2 id="task-action-title">{host.text(titles[action], { title: task.title })}</h2>
        {action === 'complete' && (
          <>
            <fieldset>
              <legend>{host.text(TEXT.outcome)}</legend>
              {OUTCOMES.map((o) => (
                <label key={o.value} className="check">
                  <input
                    type="radio"
                    name="outcome"
                    value={o.value}
                    checked={outcome === o.value}
                    onChange={() => setOutcome(o.value)}
                  />
                  {localize(o.label, host.lang)}
                </label>
              ))}
              <label className="check">
                <input type="radio" name="outcome" checked={outcome === ''} onChange={() => setOutcome('')} />
                {host.text(TEXT.otherOutcome)}
              </label>
              {outcome === '' && (
                <input
                  aria-label={host.text(TEXT.otherOutcome)}
                  value={other}
                  onChange={(e) => setOther(e.target.value)}
                />
              )}
              <p className="hint">{host.text(TEXT.outcomeHint)}</p>
            </fieldset>
            <label>
              {host.text(TEXT.note)}
              <textarea value={note} maxLength={2000} rows={3} onChange={(e) => setNote(e.target.value)} />
            </label>
          </>
        )}
        {action === 'snooze' && (
          <>
            <div className="row wrap">
              {presets.map((p) => (
                <button
                  key={p.label.en}
                  type="button"
                  className="chip"
                  onClick={() => {
                    const l = localParts(p.at, host.timeZone);
                    const pad = (n: number) => String(n).padStart(2, '0');
                    setUntil(`${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}`);
                  }}
                >
                  {host.text(p.label)}
                </button>
              ))}
            </div>
            <label>
              {host.text(TEXT.until)} <span className="muted small">({host.timeZone})</span>
              <input
                type="datetime-local"
                required
                value={until}
                onChange={(e) => setUntil(e.target.value)}
              />
            </label>
          </>
        )}
        {action === 'reassign' && (
          <label>
            {host.text(TEXT.newAssignee)}
            <input required value={assignee} onChange={(e) => setAssignee(e.target.value)} />
          </label>
        )}
        {action !== 'complete' && (
          <label>
            {host.text(TEXT.reason)}
            <input required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        )}
        {problem && <p role="alert">{host.text(TEXT.refused, { message: problem })}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {host.text(TEXT.cancel)}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {host.text(TEXT[action])}
          </button>
        </div>
      </form>
    </dialog>
  );
}
