import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import { useQuery } from '../api/use-query.ts';
import type { Selection } from '../canvas/canvas.tsx';
import type { Overlay } from '../canvas/types.ts';
import { type LiveData, liveOverlay } from '../editor/overlays.ts';
import type { ServerJourney } from '../editor/server-state.ts';
import { useDateTime, useT } from '../i18n/i18n.tsx';
import type { DraftDef } from '../model/def.ts';
import { percent } from '../pages/workflows-page.tsx';
import { Link } from '../router.tsx';

const REFRESH_MS = 3000;

/**
 * The live view of a version (the published one first; any other with customers in flight on
 * request): customers in each state, counts along each edge, outcomes and conversion, refreshed
 * every few seconds. Select a state to list its customers.
 */
export function LivePanel({
  id,
  def,
  server,
  selection,
  onOverlay,
}: {
  id: string;
  def: DraftDef;
  server: ServerJourney;
  selection: Selection;
  onOverlay: (o: Overlay) => void;
}) {
  const t = useT();
  const when = useDateTime();
  const [picked, setPicked] = useState<number | null>(null);
  const version = picked ?? server.publishedVersion;
  const live = useQuery(
    version ? `live:${id}:${version}` : null,
    () =>
      unwrap(
        api.workflows[':id'].live.$get({ param: { id }, query: { version: String(version) } } as never),
      ) as Promise<
        LiveData & { version: number; at: string; versions: { version: number; active: number }[] }
      >,
    REFRESH_MS,
  );
  // The versions worth a look: the published one and every one with customers in it now.
  const inFlight = new Map((live.data?.versions ?? []).map((v) => [v.version, v.active]));
  const choices = [
    ...new Set([...(server.publishedVersion ? [server.publishedVersion] : []), ...inFlight.keys()]),
  ].sort((a, b) => b - a);
  useEffect(() => {
    if (live.data) onOverlay(liveOverlay(live.data, def));
  }, [live.data, def, onOverlay]);
  const state = selection.kind === 'node' && selection.id in def.states ? selection.id : null;
  const runs = useQuery(state ? `runs:${id}:${state}:${live.data?.at ?? ''}` : null, () =>
    unwrap(api.runs.$get({ query: { workflow: id, state: state ?? '', status: 'active', limit: '100' } })),
  );

  if (!version) return <section className="panel">{t('live.notPublished')}</section>;
  const d = live.data;
  return (
    <section className="panel live-panel" aria-labelledby="live-title">
      <h2 id="live-title">{t('live.title', { version })}</h2>
      {choices.length > 1 && (
        <label className="field">
          {t('live.version')}
          <select
            value={version}
            onChange={(e) => setPicked(Number(e.target.value))}
            data-testid="live-version"
          >
            {choices.map((v) => (
              <option key={v} value={v}>
                {t(v === server.publishedVersion ? 'live.versionPublished' : 'live.versionOption', {
                  version: v,
                  n: inFlight.get(v) ?? 0,
                })}
              </option>
            ))}
          </select>
        </label>
      )}
      {version !== server.publishedVersion && <p className="hint">{t('live.olderVersion')}</p>}
      {live.error && <p className="error">{live.error.message}</p>}
      {d && (
        <dl className="stats" data-testid="live-stats">
          <div>
            <dt>{t('live.startedLabel')}</dt>
            <dd data-testid="live-started">{d.started}</dd>
          </div>
          <div>
            <dt>{t('live.activeLabel')}</dt>
            <dd data-testid="live-active">{d.active}</dd>
          </div>
          <div>
            <dt>{t('live.conversion')}</dt>
            <dd>{percent(d.conversion)}</dd>
          </div>
        </dl>
      )}
      {d && d.outcomes.length > 0 && (
        <table className="table">
          <caption>{t('live.outcomes')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('live.outcome')}</th>
              <th scope="col">{t('live.count')}</th>
              <th scope="col">{t('live.share')}</th>
            </tr>
          </thead>
          <tbody>
            {d.outcomes.map((o) => (
              <tr key={`${o.status}:${o.outcome}`}>
                <td>
                  {o.outcome ?? t(`run.status.${o.status}` as never)}
                  {o.outcome && d.goals.includes(o.outcome) && (
                    <span className="badge good">{t('live.goal')}</span>
                  )}
                </td>
                <td className="num">{o.count}</td>
                <td className="num">{percent(d.started ? o.count / d.started : null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d && d.failures.length > 0 && (
        <table className="table" data-testid="live-failures">
          <caption>{t('live.failures')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('live.failedIn')}</th>
              <th scope="col">{t('live.error')}</th>
              <th scope="col">{t('live.count')}</th>
            </tr>
          </thead>
          <tbody>
            {d.failures.map((f) => (
              <tr key={`${f.state}:${f.code}`}>
                <td>{f.state}</td>
                <td>
                  <code>{f.code ?? '—'}</code>
                  {f.message && <div className="small">{f.message}</div>}
                </td>
                <td className="num">{f.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">{t('live.refresh', { seconds: REFRESH_MS / 1000 })}</p>
      <h3>{state ? t('live.customersIn', { state }) : t('live.pickState')}</h3>
      {state && runs.data && runs.data.runs.length === 0 && <p className="muted">{t('live.nobody')}</p>}
      {state && runs.data && runs.data.runs.length > 0 && (
        <ul className="customer-list">
          {runs.data.runs.map((r) => (
            <li key={r.id}>
              <Link href={`/customers/${encodeURIComponent(r.customerId)}`}>{r.customerId}</Link>{' '}
              <Link href={`/runs/${r.id}`} className="small">
                {t('live.timeline')}
              </Link>{' '}
              <span className="muted small">{t('live.since', { time: when(r.updatedAt) })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
