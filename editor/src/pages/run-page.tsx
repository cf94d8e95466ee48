import { api, unwrap } from '../api/client.ts';
import { useQuery } from '../api/use-query.ts';
import { useDateTime, useT } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import { LoadProblem } from './missing-route.tsx';

export interface HistoryEntry {
  at: string;
  type: string;
  state: string | null;
  step: string | null;
  detail: Record<string, unknown> | null;
}

/** A run's timeline: every state entered, step done, event matched or ignored, timer and outcome. */
export function RunTimeline({ history }: { history: HistoryEntry[] }) {
  const t = useT();
  const when = useDateTime();
  return (
    <ol className="timeline">
      {history.map((h, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: history entries are in order and never move
        <li key={i} className={`tl-${h.type.replace('.', '-')}`}>
          <time dateTime={h.at}>{when(h.at)}</time>{' '}
          <strong>{t(`history.${h.type}` as never) || h.type}</strong>
          {h.state && <span> · {h.state}</span>}
          {h.step && <span> · {h.step}</span>}
          {h.detail && Object.keys(h.detail).length > 0 && (
            <code className="small"> {JSON.stringify(h.detail).slice(0, 160)}</code>
          )}
        </li>
      ))}
    </ol>
  );
}

export function RunPage({ id }: { id: string }) {
  const t = useT();
  const run = useQuery(`run:${id}`, () => unwrap(api.runs[':id'].$get({ param: { id } })), 5000);
  const r = run.data;
  return (
    <main className="page">
      <h1>{t('run.title')}</h1>
      <LoadProblem error={run.error} what={t('run.title')} />
      {r && (
        <>
          <p>
            <Link href={`/workflows/${r.workflow}?mode=live`}>{r.workflow}</Link> v{r.version} ·{' '}
            <Link href={`/customers/${encodeURIComponent(r.customerId)}`}>{r.customerId}</Link> ·{' '}
            {t(`run.status.${r.status}` as never)} · {r.state}
            {r.outcome && ` · ${r.outcome}`}
          </p>
          <RunTimeline history={r.history as unknown as HistoryEntry[]} />
        </>
      )}
    </main>
  );
}
