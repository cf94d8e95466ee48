import { api, unwrap } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useQuery } from '../api/use-query.ts';
import { useDateTime, useT } from '../i18n/i18n.tsx';
import { PluginCustomerPanels } from '../plugins/plugin-panels.tsx';
import { Link } from '../router.tsx';
import { CustomerActions } from './customer-actions.tsx';
import { CustomerProfile, type Profile } from './customer-profile.tsx';
import { CustomerTimeline, type TimelineEntry } from './customer-timeline.tsx';
import { CustomerUsualHours, type UsualHours } from './customer-usual-hours.tsx';
import { LoadProblem } from './missing-route.tsx';
import { MessagesTable, type OutboxMessage } from './outbox-page.tsx';

/** A customer's profile, their journeys (each with its timeline) and the messages they got. */
export function CustomerPage({ id }: { id: string }) {
  const t = useT();
  const when = useDateTime();
  const profile = useQuery(`customer:${id}`, () => unwrap(api.customers[':id'].$get({ param: { id } })));
  const runs = useQuery(
    `runs-of:${id}`,
    () => unwrap(api.runs.$get({ query: { customer: id, limit: '100' } })),
    5000,
  );
  const messages = useQuery(`messages:${id}`, () =>
    unwrap(getJson<{ messages: OutboxMessage[] }>('/api/messages', { customer: id })),
  );
  const p = profile.data as (Profile & { timeline: TimelineEntry[]; usualHours?: UsualHours }) | undefined;
  return (
    <main className="page">
      <div className="page-head">
        <h1>
          {p?.name ?? t('customer.title', { id })}
          {p?.name && <span className="muted small"> {id}</span>}
        </h1>
        {p && <CustomerActions id={id} />}
      </div>
      <LoadProblem error={profile.error} what={t('customer.title', { id })} />
      {p && <CustomerProfile profile={p} onChanged={profile.reload} />}
      {p?.usualHours && <CustomerUsualHours hours={p.usualHours} />}
      <PluginCustomerPanels customerId={id} />
      {p && (
        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title">{t('customer.timeline')}</h2>
          <CustomerTimeline entries={p.timeline} />
        </section>
      )}
      <section aria-labelledby="journeys-title">
        <h2 id="journeys-title">{t('customer.journeys')}</h2>
        {runs.data && runs.data.runs.length === 0 && <p className="muted">{t('customer.noRuns')}</p>}
        <ul className="plain-list">
          {runs.data?.runs.map((r) => (
            <li key={r.id}>
              <Link href={`/runs/${r.id}`}>
                {r.workflow} v{r.version}
              </Link>{' '}
              · {t(`run.status.${r.status}` as never)} · {r.state}
              {r.outcome && ` · ${r.outcome}`} <span className="muted small">{when(r.startedAt)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="messages-title">
        <h2 id="messages-title">{t('customer.messages')}</h2>
        <LoadProblem error={messages.error} what={t('outbox.title')} />
        {messages.data && <MessagesTable messages={messages.data.messages} />}
      </section>
    </main>
  );
}
