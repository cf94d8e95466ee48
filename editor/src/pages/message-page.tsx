import { unwrap } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useQuery } from '../api/use-query.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import { LoadProblem } from './missing-route.tsx';

/** One message as `GET /api/messages/:key` shows it: content decrypted, with its delivery record. */
interface Message {
  key: string;
  customerId: string | null;
  workflowId: string | null;
  runId: string | null;
  channel: string;
  template: string | null;
  locale: string | null;
  purpose: string;
  status: string;
  reason: string | null;
  detail: string | null;
  provider: string | null;
  messageId: string | null;
  to: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  payload: unknown;
  attempts: number;
  feedback: { type: string; at: string; detail?: unknown }[] | null;
  createdAt: string;
  sentAt: string | null;
  deferredUntil: string | null;
}

/**
 * One message of the outbox, opened: who it went to and how, the provider's answer or why it
 * was skipped, and the content as the customer saw it (HTML in a sandboxed frame that runs no
 * script and loads nothing from outside: no tracking pixel fires from here), the text part, or a
 * webhook's JSON.
 */
export function MessagePage({ messageKey }: { messageKey: string }) {
  const { t, lang } = useI18n();
  const message = useQuery(`message:${messageKey}`, () =>
    unwrap(getJson<Message>(`/api/messages/${encodeURIComponent(messageKey)}`)),
  );
  const m = message.data;
  const when = (iso: string | null) =>
    iso
      ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso))
      : '—';
  return (
    <main className="page">
      <p>
        <Link href="/outbox">← {t('outbox.title')}</Link>
      </p>
      <h1>{m?.subject ?? m?.template ?? t('message.title')}</h1>
      <LoadProblem error={message.error} what={t('message.title')} />
      {m && (
        <>
          <dl className="props">
            <dt>{t('message.to')}</dt>
            <dd>{m.to ?? '—'}</dd>
            <dt>{t('outbox.customer')}</dt>
            <dd>
              {m.customerId ? (
                <Link href={`/customers/${encodeURIComponent(m.customerId)}`}>{m.customerId}</Link>
              ) : (
                '—'
              )}
            </dd>
            <dt>{t('outbox.channel')}</dt>
            <dd>
              {m.channel} ·{' '}
              {m.purpose === 'staff' ? t('message.purpose.staff') : t('message.purpose.journey')}
            </dd>
            <dt>{t('message.template')}</dt>
            <dd>
              {m.template ?? '—'}
              {m.locale ? ` (${m.locale})` : ''}
            </dd>
            <dt>{t('message.journey')}</dt>
            <dd>
              {m.workflowId ? (
                <Link href={`/workflows/${encodeURIComponent(m.workflowId)}`}>{m.workflowId}</Link>
              ) : (
                '—'
              )}
              {m.runId && (
                <>
                  {' · '}
                  <Link href={`/runs/${m.runId}`}>{t('message.run')}</Link>
                </>
              )}
            </dd>
            <dt>{t('outbox.status')}</dt>
            <dd>
              <span
                className={`badge ${m.status === 'sent' ? 'good' : m.status === 'skipped' || m.status === 'uncertain' ? 'warn' : ''}`}
              >
                {m.status}
              </span>
              {m.reason && <> · {m.reason}</>}
              {m.detail && <div className="small muted">{m.detail}</div>}
            </dd>
            <dt>{t('message.provider')}</dt>
            <dd>
              {m.provider ?? '—'}
              {m.messageId && <div className="small muted">{m.messageId}</div>}
            </dd>
            <dt>{t('message.attempts')}</dt>
            <dd>{m.attempts}</dd>
            <dt>{t('message.created')}</dt>
            <dd>{when(m.createdAt)}</dd>
            <dt>{t('message.sent')}</dt>
            <dd>{when(m.sentAt)}</dd>
            {m.deferredUntil && (
              <>
                <dt>{t('message.deferred')}</dt>
                <dd>{when(m.deferredUntil)}</dd>
              </>
            )}
          </dl>
          {m.feedback && m.feedback.length > 0 && (
            <section aria-labelledby="message-feedback">
              <h2 id="message-feedback">{t('message.feedback')}</h2>
              <ul className="plain-list">
                {m.feedback.map((f) => (
                  <li key={`${f.type}:${f.at}`}>
                    {when(f.at)} · {f.type}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {m.html && (
            <section aria-labelledby="message-html">
              <h2 id="message-html">{t('message.html')}</h2>
              {/* sandbox="": no script, no forms, no navigation; the editor's CSP keeps outside images out. */}
              <iframe title={t('message.html')} sandbox="" srcDoc={m.html} className="message-frame" />
            </section>
          )}
          {m.text && (
            <section aria-labelledby="message-text">
              <h2 id="message-text">{t('message.text')}</h2>
              <pre className="message-text">{m.text}</pre>
            </section>
          )}
          {m.payload !== null && m.payload !== undefined && (
            <section aria-labelledby="message-payload">
              <h2 id="message-payload">{t('message.payload')}</h2>
              <pre className="message-text">{JSON.stringify(m.payload, null, 2)}</pre>
            </section>
          )}
          {!m.html && !m.text && (m.payload === null || m.payload === undefined) && (
            <p className="muted">{t('message.noContent')}</p>
          )}
        </>
      )}
    </main>
  );
}
