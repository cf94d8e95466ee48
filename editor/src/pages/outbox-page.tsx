import { type FormEvent, useState } from 'react';
import { unwrap } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useQuery } from '../api/use-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { LoadProblem } from './missing-route.tsx';

/** One outbox entry as `GET /api/messages` lists it; fields beyond these are shown as details. */
export interface OutboxMessage {
  /** The idempotency key of the send: one per step run and channel. */
  key: string;
  customerId?: string;
  workflowId?: string | null;
  runId?: string | null;
  channel?: string;
  template?: string | null;
  to?: string | null;
  subject?: string | null;
  status?: string;
  reason?: string | null;
  createdAt?: string;
  sentAt?: string | null;
  [field: string]: unknown;
}

/** The outbox (dev mailbox): every message sent or skipped, with the reason, optionally for one customer. */
export function OutboxPage() {
  const t = useT();
  const { query } = useLocation();
  const customer = query.get('customer') ?? '';
  const [typed, setTyped] = useState(customer);
  const messages = useQuery(
    `messages:${customer}`,
    () => unwrap(getJson<{ messages: OutboxMessage[] }>('/api/messages', customer ? { customer } : {})),
    5000,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(typed ? `/outbox?customer=${encodeURIComponent(typed)}` : '/outbox');
  };
  return (
    <main className="page">
      <h1>{t('outbox.title')}</h1>
      <form onSubmit={submit} className="row align-end">
        <label className="field">
          {t('outbox.customer')}
          <input value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit">{t('outbox.filter')}</button>
      </form>
      <LoadProblem error={messages.error} what={t('outbox.title')} />
      {messages.data && <MessagesTable messages={messages.data.messages} />}
    </main>
  );
}

export function MessagesTable({ messages }: { messages: OutboxMessage[] }) {
  const t = useT();
  if (messages.length === 0) return <p className="muted">{t('outbox.empty')}</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('outbox.when')}</th>
          <th scope="col">{t('outbox.customer')}</th>
          <th scope="col">{t('outbox.channel')}</th>
          <th scope="col">{t('outbox.what')}</th>
          <th scope="col">{t('outbox.status')}</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <tr key={m.key}>
            <td>{m.createdAt ? new Date(m.createdAt).toLocaleString() : '—'}</td>
            <td>
              {m.customerId ? (
                <Link href={`/customers/${encodeURIComponent(m.customerId)}`}>{m.customerId}</Link>
              ) : (
                '—'
              )}
            </td>
            <td>{m.channel ?? '—'}</td>
            <td>
              {m.subject ?? m.template ?? '—'}
              {m.to && <div className="muted small">{m.to}</div>}
            </td>
            <td>
              <span
                className={`badge ${m.status === 'sent' ? 'good' : m.status === 'skipped' ? 'warn' : ''}`}
              >
                {m.status ?? '—'}
              </span>
              {m.reason && <div className="small">{m.reason}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
