import { Chart, type EditorHost, useLoad } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import { duration, useCategories } from './categories.ts';
import type { Figures } from './complaint.ts';
import { TEXT } from './texts.ts';

type By = 'category' | 'owner' | 'store' | 'team';
const BY_LABEL = { category: TEXT.byCategory, owner: TEXT.byOwner, store: TEXT.byStore, team: TEXT.byTeam };

/**
 * The complaint analysis of the last 30 days: how many came, how many are still open, deadlines
 * missed, median time to answer and to resolve, CSAT after resolution; by category, owner or store.
 */
export function ComplaintFigures({
  host,
  version,
  titled = true,
}: {
  host: EditorHost;
  version: number;
  /** False where the page already names the figures (the overview's panel title). */
  titled?: boolean;
}) {
  const [by, setBy] = useState<By>('category');
  const names = useCategories(host);
  const figures = useLoad(`complaint-figures:${by}:${version}`, () =>
    host.get<{ all: Figures | null; groups: Figures[] }>('/api/complaints/figures', { since: '30d', by }),
  );
  if (figures.error)
    return (
      <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.title), message: figures.error })}</p>
    );
  if (!figures.data) return null;
  const all = figures.data.all;
  const hours = (n: number | null) => duration(host, n, TEXT);
  const csat = (f: Figures) => (f.csat === null ? '—' : `${f.csat.toFixed(1)} / 5`);
  return (
    <section aria-label={host.text(TEXT.last30)}>
      {titled && <h2>{host.text(TEXT.last30)}</h2>}
      <dl className="stats" style={{ flexWrap: 'wrap' }}>
        {[
          [TEXT.total, String(all?.total ?? 0)],
          [TEXT.openNow, String(all?.open ?? 0)],
          [TEXT.breached, String(all?.breached ?? 0)],
          [TEXT.toRespond, hours(all?.respondHours ?? null)],
          [TEXT.toResolve, hours(all?.resolveHours ?? null)],
          [TEXT.csat, all ? csat(all) : '—'],
        ].map(([label, value]) => (
          <div key={(label as { en: string }).en}>
            <dt>{host.text(label as { en: string })}</dt>
            <dd>{value as string}</dd>
          </div>
        ))}
      </dl>
      <div className="row wrap" role="tablist">
        {(Object.keys(BY_LABEL) as By[]).map((b) => (
          <button
            key={b}
            type="button"
            role="tab"
            aria-selected={by === b}
            className={`tab${by === b ? ' active' : ''}`}
            onClick={() => setBy(b)}
          >
            {host.text(BY_LABEL[b])}
          </button>
        ))}
      </div>
      {figures.data.groups.length > 0 && (
        <Chart
          label={`${host.text(TEXT.title)}: ${host.text(BY_LABEL[by])}`}
          height={220}
          option={{
            grid: { left: 110, right: 24, top: 30, bottom: 24 },
            legend: { top: 0 },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: {
              type: 'category',
              inverse: true,
              data: figures.data.groups.map((g) => (by === 'category' ? names.name(g.key) : g.key || '—')),
            },
            series: [
              {
                name: host.text(TEXT.openNow),
                type: 'bar',
                stack: 'all',
                data: figures.data.groups.map((g) => g.open),
                itemStyle: { color: '#2f6fed' },
              },
              {
                name: host.text(TEXT.closedOrResolved),
                type: 'bar',
                stack: 'all',
                data: figures.data.groups.map((g) => g.total - g.open),
                itemStyle: { color: '#9bb5f2' },
              },
              {
                name: host.text(TEXT.breached),
                type: 'bar',
                data: figures.data.groups.map((g) => g.breached),
                itemStyle: { color: '#b42318' },
              },
            ],
          }}
        />
      )}
      {figures.data.groups.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{host.text(BY_LABEL[by])}</th>
              <th>{host.text(TEXT.total)}</th>
              <th>{host.text(TEXT.openNow)}</th>
              <th>{host.text(TEXT.breached)}</th>
              <th>{host.text(TEXT.toRespond)}</th>
              <th>{host.text(TEXT.toResolve)}</th>
              <th>{host.text(TEXT.csat)}</th>
            </tr>
          </thead>
          <tbody>
            {figures.data.groups.map((g) => (
              <tr key={g.key}>
                <td>{by === 'category' ? names.name(g.key) : g.key || '—'}</td>
                <td>{g.total}</td>
                <td>{g.open}</td>
                <td>{g.breached}</td>
                <td>{hours(g.respondHours)}</td>
                <td>{hours(g.resolveHours)}</td>
                <td>
                  {csat(g)} <span className="muted small">{host.text(TEXT.rated, { n: g.rated })}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
