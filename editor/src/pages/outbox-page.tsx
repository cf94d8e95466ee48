import { MESSAGE_CHANNELS } from '@tend/plugin-sdk/channels';
import { Chart, type ChartOption, dayStartIso } from '@tend/plugin-sdk/editor';
import { type FormEvent, useState } from 'react';
import { unwrap, withSession } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { loadPages } from '../api/load-pages.ts';
import { useSession } from '../api/session.tsx';
import { useQuery } from '../api/use-query.ts';
import { channelName } from '../i18n/channel-name.ts';
import { type MessageKey, type Translate, useDateTime, useT } from '../i18n/i18n.tsx';
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
const FILTERS = ['customer', 'workflow', 'status', 'channel', 'reason', 'from', 'to'] as const;
type Filter = Record<(typeof FILTERS)[number], string>;
const PAGE = 50;

/** A status's or a reason's name in the viewer's language; a code Tend has no name for, as it is. */
export function outboxName(t: Translate, kind: 'state' | 'why', code: string): string {
  const key = `outbox.${kind}.${code}` as MessageKey;
  const named = t(key);
  return named === key ? code : named;
}

/**
 * The outbox (dev mailbox): every message sent, skipped or held, with the reason; filtered by
 * customer, journey, channel, status, reason and days (in the viewer's zone), counted by status
 * and reason in a chart; messages whose delivery is uncertain wait here for a person's decision.
 */
export function OutboxPage() {
  const t = useT();
  const { query } = useLocation();
  const applied = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Filter;
  const [form, setForm] = useState<Filter>(applied);
  const [pages, setPages] = useState<string[]>([]);
  const asked = {
    ...Object.fromEntries(
      (['customer', 'workflow', 'status', 'channel', 'reason'] as const).flatMap((f) =>
        applied[f] ? [[f, applied[f]]] : [],
      ),
    ),
    ...(applied.from ? { from: dayStartIso(applied.from) } : {}),
    ...(applied.to ? { to: dayStartIso(applied.to, true) } : {}),
  } as Record<string, string>;
  const key = JSON.stringify(asked);
  const messages = useQuery(
    `messages:${key}:${pages.length}`,
    async () => {
      const { rows, next } = await loadPages<OutboxMessage, 'messages'>(
        '/api/messages',
        asked,
        pages,
        'messages',
        PAGE,
      );
      return { messages: rows, next };
    },
    5000,
  );
  const summary = useQuery(`messages-summary:${key}`, () =>
    unwrap(
      getJson<{ total: number; counts: { status: string; reason: string | null; count: number }[] }>(
        '/api/messages/summary',
        asked,
      ),
    ),
  );
  // The reasons the other filters' messages have, for the reason picker.
  const reasons = useQuery(`messages-reasons:${key}`, () =>
    unwrap(
      getJson<{ counts: { reason: string | null; count: number }[] }>(
        '/api/messages/summary',
        Object.fromEntries(Object.entries(asked).filter(([k]) => k !== 'reason')),
      ),
    ),
  );
  const journeys = useQuery('outbox:journeys', () =>
    unwrap(getJson<{ workflows: { id: string; name: string }[] }>('/api/workflows')),
  );
  const field = (f: keyof Filter) => ({
    value: form[f],
    onChange: (e: { target: { value: string } }) => setForm((x) => ({ ...x, [f]: e.target.value })),
  });
  const go = (filter: Filter) => {
    setPages([]);
    const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
    navigate(params.size > 0 ? `/outbox?${params}` : '/outbox');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(form);
  };
  const knownReasons = [
    ...new Set((reasons.data?.counts ?? []).flatMap((c) => (c.reason ? [c.reason] : []))),
  ].sort();
  return (
    <main className="page">
      <h1>{t('outbox.title')}</h1>
      <form onSubmit={submit} className="filters">
        <label>
          {t('outbox.customer')}
          <input {...field('customer')} size={14} />
        </label>
        <label>
          {t('outbox.journey')}
          <select {...field('workflow')}>
            <option value="">{t('outbox.anyJourney')}</option>
            {journeys.data?.workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('outbox.channelFilter')}
          <select {...field('channel')}>
            <option value="">{t('outbox.anyChannel')}</option>
            {MESSAGE_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('outbox.statusFilter')}
          <select {...field('status')}>
            <option value="">{t('outbox.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {outboxName(t, 'state', s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('outbox.reasonFilter')}
          <select {...field('reason')}>
            <option value="">{t('outbox.anyReason')}</option>
            {[...new Set([...knownReasons, ...(form.reason ? [form.reason] : [])])].map((r) => (
              <option key={r} value={r}>
                {outboxName(t, 'why', r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('outbox.from')}
          <input type="date" {...field('from')} />
        </label>
        <label>
          {t('outbox.to')}
          <input type="date" {...field('to')} />
        </label>
        <button type="submit" className="primary">
          {t('outbox.filter')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            const empty = Object.fromEntries(FILTERS.map((f) => [f, ''])) as Filter;
            setForm(empty);
            go(empty);
          }}
        >
          {t('outbox.clear')}
        </button>
      </form>
      <LoadProblem error={messages.error ?? summary.error} what={t('outbox.title')} />
      {summary.data && summary.data.total > 0 && <OutboxChart counts={summary.data.counts} />}
      {summary.data && <p className="muted small">{t('outbox.matching', { n: summary.data.total })}</p>}
      {messages.data && <MessagesTable messages={messages.data.messages} onChange={messages.reload} />}
      {messages.data?.next && (
        <button type="button" onClick={() => setPages((p) => [...p, messages.data?.next as string])}>
          {t('outbox.more')}
        </button>
      )}
    </main>
  );
}

type StatusCount = { status: string; reason: string | null; count: number };

/** One bar per status and reason (sent; skipped · no consent…), longest first; `onPick`: a bar clicked. */
export function OutboxChart({
  counts,
  onPick,
}: {
  counts: StatusCount[];
  onPick?: (c: StatusCount) => void;
}) {
  const t = useT();
  const rows = [...counts].sort((a, b) => a.count - b.count);
  const label = (c: (typeof rows)[number]) =>
    c.reason
      ? `${outboxName(t, 'state', c.status)} · ${outboxName(t, 'why', c.reason)}`
      : outboxName(t, 'state', c.status);
  const option: ChartOption = {
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map(label) },
    series: [
      {
        type: 'bar',
        data: rows.map((c) => ({
          value: c.count,
          itemStyle: {
            color: c.status === 'sent' ? '#2f855a' : c.status === 'failed' ? '#c53030' : '#b7791f',
          },
        })),
        label: { show: true, position: 'right' },
      },
    ],
  };
  return (
    <section aria-label={t('outbox.chart')}>
      <Chart
        option={option}
        label={t('outbox.chart')}
        height={Math.max(120, 36 * rows.length + 24)}
        {...(onPick ? { onClick: (index: number) => onPick(rows[index] as StatusCount) } : {})}
      />
    </section>
  );
}

export function MessagesTable({ messages, onChange }: { messages: OutboxMessage[]; onChange?: () => void }) {
  const t = useT();
  const when = useDateTime();
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
              <td>{m.createdAt ? when(m.createdAt) : '—'}</td>
              <td>
                {m.customerId ? (
                  <Link href={`/customers/${encodeURIComponent(m.customerId)}`}>{m.customerId}</Link>
                ) : (
                  '—'
                )}
              </td>
              <td>{m.channel ? channelName(t, m.channel) : '—'}</td>
              <td>
                <Link href={`/outbox/${encodeURIComponent(m.key)}`}>{m.subject ?? m.template ?? m.key}</Link>
                {m.to && <div className="muted small">{m.to}</div>}
              </td>
              <td>
                <span
                  className={`badge ${m.status === 'sent' ? 'good' : m.status === 'skipped' || m.status === 'uncertain' ? 'warn' : ''}`}
                >
                  {m.status ? outboxName(t, 'state', m.status) : '—'}
                </span>
                {m.reason && <div className="small">{outboxName(t, 'why', m.reason)}</div>}
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
