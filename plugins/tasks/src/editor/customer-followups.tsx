import { type EditorHost, localize, useLoad } from '@tend/plugin-sdk/editor';
import { type FormEvent, useState } from 'react';
import { fromLocalInput } from './local-input.ts';
import { OUTCOMES, TEXT } from './texts.ts';

interface Followup {
  id: string;
  at: string;
  by: string;
  channel: 'call' | 'visit' | 'message';
  outcome: string;
  note: string | null;
  nextTaskId: string | null;
}

const CHANNELS = ['call', 'visit', 'message'] as const;

/** On a customer's profile: log a call, visit or message (回访), plan the next, see the past ones. */
export function CustomerFollowups({ host, customerId }: { host: EditorHost; customerId?: string }) {
  const id = customerId ?? '';
  const [version, setVersion] = useState(0);
  const [channel, setChannel] = useState<Followup['channel']>('call');
  const [outcome, setOutcome] = useState<string>(OUTCOMES[0].value);
  const [note, setNote] = useState('');
  const [next, setNext] = useState('');
  const [nextTitle, setNextTitle] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const list = useLoad(`followups:${id}:${version}`, () =>
    host.get<{ followups: Followup[] }>('/api/tasks/followups', { customer: id }),
  );
  const outcomeLabel = (value: string) => {
    const known = OUTCOMES.find((o) => o.value === value);
    return known ? localize(known.label, host.lang) : value;
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const due = next ? fromLocalInput(next, host.timeZone) : null;
    try {
      await host.send('POST', '/api/tasks/followups', {
        customerId: id,
        channel,
        outcome,
        ...(note ? { note } : {}),
        ...(due ? { next: { dueAt: due.toISOString(), ...(nextTitle ? { title: nextTitle } : {}) } } : {}),
      });
      setNote('');
      setNext('');
      setNextTitle('');
      setMessage({ ok: true, text: host.text(TEXT.logged) });
      setVersion((v) => v + 1);
    } catch (error) {
      setMessage({ ok: false, text: host.text(TEXT.refused, { message: (error as Error).message }) });
    }
  }

  return (
    <>
      {host.canServe && (
        <form onSubmit={submit} aria-label={host.text(TEXT.logFollowup)} className="form-section">
          <div className="row wrap align-end">
            <label>
              {host.text(TEXT.channel)}
              <select value={channel} onChange={(e) => setChannel(e.target.value as Followup['channel'])}>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {host.text(TEXT[c])}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {host.text(TEXT.outcome)}
              <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                {OUTCOMES.map((o) => (
                  <option key={o.value} value={o.value}>
                    {localize(o.label, host.lang)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {host.text(TEXT.nextFollowup)} <span className="muted small">({host.timeZone})</span>
              <input type="datetime-local" value={next} onChange={(e) => setNext(e.target.value)} />
            </label>
            {next && (
              <label>
                {host.text(TEXT.nextTitle)}
                <input value={nextTitle} maxLength={300} onChange={(e) => setNextTitle(e.target.value)} />
              </label>
            )}
          </div>
          <label>
            {host.text(TEXT.note)}
            <textarea value={note} maxLength={2000} rows={2} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="primary">
            {host.text(TEXT.logFollowup)}
          </button>
          {message && (
            <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>
              {message.text}
            </p>
          )}
        </form>
      )}
      {list.error && (
        <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.followups), message: list.error })}</p>
      )}
      {list.data && list.data.followups.length === 0 && (
        <p className="muted">{host.text(TEXT.noFollowups)}</p>
      )}
      {list.data && list.data.followups.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{host.text(TEXT.when)}</th>
              <th>{host.text(TEXT.channel)}</th>
              <th>{host.text(TEXT.outcome)}</th>
              <th>{host.text(TEXT.note)}</th>
              <th>{host.text(TEXT.by)}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.followups.map((f) => (
              <tr key={f.id}>
                <td>{host.formatDateTime(f.at)}</td>
                <td>{host.text(TEXT[f.channel])}</td>
                <td>{outcomeLabel(f.outcome)}</td>
                <td>{f.note ?? '—'}</td>
                <td>{f.by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
