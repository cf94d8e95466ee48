import { type FormEvent, useState } from 'react';
import { unwrap, withSession } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useSession } from '../api/session.tsx';
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

const STATUSES = ['uncertain', 'pending', 'sending', 'deferred', 'sent', 'skipped', 'failed'];

/**
 * The outbox (dev mailbox): every message sent, skipped or held, with the reason, for one customer
 * or one status; messages whose delivery is uncertain wait here for a person's decision.
 */
export function OutboxPage() {
  const t = useT();
  const { query } = useLocation();
  const customer = query.get('customer') ?? '';
  const status = query.get('status') ?? '';
  const [typed, setTyped] = useState(customer);
  const [picked, setPicked] = useState(status);
  const filter = { ...(customer ? { customer } : {}), ...(status ? { status } : {}) };
  const messages = useQuery(
    `messages:${customer}:${status}`,
    () => unwrap(getJson<{ messages: OutboxMessage[] }>('/api/messages', filter)),
    5000,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const params = new URLSearchParams({
      ...(typed ? { customer: typed } : {}),
      ...(picked ? { status: picked } : {}),
    });
    navigate(params.size > 0 ? `/outbox?${params}` : '/outbox');
  };
  return (
    <main className="page">
      <h1>{t('outbox.title')}</h1>
      <form onSubmit={submit} className="row align-end">
        <label className="field">
          {t('outbox.customer')}
          <input value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <label className="field">
          {t('outbox.statusFilter')}
          <select value={picked} onChange={(e) => setPicked(e.target.value)}>
            <option value="">{t('outbox.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'uncertain' ? t('outbox.status.uncertain') : s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('outbox.filter')}</button>
      </form>
      <LoadProblem error={messages.error} what={t('outbox.title')} />
      {messages.data && <MessagesTable messages={messages.data.messages} onChange={messages.reload} />}
    </main>
  );
}

export function MessagesTable({ messages, onChange }: { messages: OutboxMessage[]; onChange?: () => void }) {
  const t = useT();
  // Said above the table: the row it is about may leave the list (it is no longer uncertain).
  const [notice, setNotice] = useState<string | null>(null);
  const decided = (note: string) => {
    setNotice(note);
    onChange?.();
  };
  const status = notice && <p role="status">{notice}</p>;
  if (messages.length === 0)
    return (
      <>
        {status}
        <p className="muted">{t('outbox.empty')}</p>
      </>
    );
  return (
    <>
      {status}
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
                <Link href={`/outbox/${encodeURIComponent(m.key)}`}>{m.subject ?? m.template ?? m.key}</Link>
                {m.to && <div className="muted small">{m.to}</div>}
              </td>
              <td>
                <span
                  className={`badge ${m.status === 'sent' ? 'good' : m.status === 'skipped' || m.status === 'uncertain' ? 'warn' : ''}`}
                >
                  {m.status === 'uncertain' ? t('outbox.status.uncertain') : (m.status ?? '—')}
                </span>
                {m.reason && <div className="small">{m.reason}</div>}
                {m.status === 'uncertain' && <UncertainDecision messageKey={m.key} onDecided={decided} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Send again or give up a message whose hand-over to its provider was cut short. */
function UncertainDecision({
  messageKey,
  onDecided,
}: {
  messageKey: string;
  onDecided: (note: string) => void;
}) {
  const t = useT();
  const { canEdit } = useSession();
  const decide = async (decision: 'release' | 'drop') => {
    const res = await withSession(`/api/outbox/${encodeURIComponent(messageKey)}/${decision}`, {
      method: 'POST',
    });
    const body = (await res.json().catch(() => ({}))) as { status?: string; error?: { message?: string } };
    onDecided(
      res.ok
        ? t('outbox.decided', { status: body.status ?? decision })
        : t('outbox.decisionFailed', { message: body.error?.message ?? String(res.status) }),
    );
  };
  return (
    <div className="small">
      <p className="muted">{t('outbox.uncertainHelp')}</p>
      {canEdit && (
        <div className="row">
          <button type="button" onClick={() => void decide('release')}>
            {t('outbox.release')}
          </button>
          <button type="button" className="secondary" onClick={() => void decide('drop')}>
            {t('outbox.drop')}
          </button>
        </div>
      )}
    </div>
  );
}
