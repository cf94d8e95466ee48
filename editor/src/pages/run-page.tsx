import { api, unwrap } from '../api/client.ts';
import { useQuery } from '../api/use-query.ts';
import { type Translate, useDateTime, useT } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import { LoadProblem } from './missing-route.tsx';

export interface HistoryEntry {
  at: string;
  type: string;
  state: string | null;
  step: string | null;
  detail: Record<string, unknown> | null;
}

/** Why a best-time wait's timer is where it is, in words ("until the best time, 19:00 (…)"). */
export function bestTimeText(t: Translate, detail: Record<string, unknown> | null): string | null {
  const best = detail?.bestTime as { hour?: number; basis?: string; zone?: string } | undefined;
  if (typeof best?.hour !== 'number') return null;
  // The hour is on the customer's clock; the moment beside it is in the viewer's zone.
  const hour = `${String(best.hour).padStart(2, '0')}:00`;
  const basis = t(`bestTime.basis.${best.basis}` as never);
  return t('bestTime.until', { hour, zone: best.zone ?? '', basis });
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
          {bestTimeText(t, h.detail) ? (
            <span>
              {' '}
              · {bestTimeText(t, h.detail)}: {when(String(h.detail?.dueAt))}
            </span>
          ) : (
            h.detail &&
            Object.keys(h.detail).length > 0 && (
              <code className="small"> {JSON.stringify(h.detail).slice(0, 160)}</code>
            )
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
          <WaitingLine history={r.history as unknown as HistoryEntry[]} active={r.status === 'active'} />
          <RunTimeline history={r.history as unknown as HistoryEntry[]} />
        </>
      )}
    </main>
  );
}

/** What an active run waiting for its best time is waiting for. */
function WaitingLine({ history, active }: { history: HistoryEntry[]; active: boolean }) {
  const t = useT();
  const when = useDateTime();
  // The timer of the state the run is in (events it ignores while waiting may follow it).
  const last = history.findLast((h) => h.type === 'timer.set' || h.type === 'state.entered');
  const what = last?.type === 'timer.set' ? bestTimeText(t, last.detail) : null;
  if (!active || !what || !last) return null;
  return <p className="waiting">{t('run.waiting', { what, at: when(String(last.detail?.dueAt)) })}</p>;
}
