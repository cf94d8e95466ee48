import { Chart, type ChartOption } from '@tend/plugin-sdk/editor';
import { unwrap } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useQuery } from '../api/use-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { navigate } from '../router.tsx';
import { OutboxChart } from './outbox-page.tsx';
import { lifecycleName } from './stage-badge.tsx';

const DAY = 86_400_000;

/** Messages of the last 30 days by status and reason; a bar opens those messages in the outbox. */
export function MessagesPanel() {
  const t = useT();
  const summary = useQuery(
    'overview:messages',
    () =>
      unwrap(
        getJson<{ total: number; counts: { status: string; reason: string | null; count: number }[] }>(
          '/api/messages/summary',
          { from: new Date(Date.now() - 30 * DAY).toISOString() },
        ),
      ),
    60_000,
  );
  return (
    <section aria-labelledby="overview-messages" className="tile">
      <h2 id="overview-messages">{t('overview.messages')}</h2>
      {summary.data && summary.data.total === 0 && <p className="muted">{t('outbox.empty')}</p>}
      {summary.data && summary.data.total > 0 && (
        <OutboxChart
          counts={summary.data.counts}
          onPick={(c) =>
            navigate(
              `/outbox?status=${encodeURIComponent(c.status)}${c.reason ? `&reason=${encodeURIComponent(c.reason)}` : ''}`,
            )
          }
        />
      )}
    </section>
  );
}

interface JourneyStats {
  id: string;
  started: number;
  active: number;
  reached: number;
  conversion: number | null;
}

/** Each journey's entries, customers in it now, and those who reached its goal (with the rate). */
export function JourneysPanel() {
  const t = useT();
  const stats = useQuery(
    'overview:journeys',
    async () => {
      const [s, w] = await Promise.all([
        unwrap(getJson<{ workflows: JourneyStats[] }>('/api/stats/workflows')),
        unwrap(getJson<{ workflows: { id: string; name: string }[] }>('/api/workflows')),
      ]);
      const names = new Map(w.workflows.map((x) => [x.id, x.name]));
      return s.workflows
        .filter((x) => x.started > 0)
        .sort((a, b) => b.started - a.started)
        .map((x) => ({ ...x, name: names.get(x.id) ?? x.id }));
    },
    60_000,
  );
  const rows = stats.data ?? [];
  const percent = (c: number | null) => (c === null ? '' : ` · ${Math.round(c * 1000) / 10}%`);
  const option: ChartOption = {
    grid: { left: 8, right: 60, top: 28, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name) },
    series: [
      {
        type: 'bar',
        name: t('overview.entered'),
        data: rows.map((r) => r.started),
        label: { show: true, position: 'right' },
      },
      { type: 'bar', name: t('overview.inJourney'), data: rows.map((r) => r.active) },
      {
        type: 'bar',
        name: t('overview.reachedGoal'),
        data: rows.map((r) => ({ value: r.reached, conversion: r.conversion })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: number; data: { conversion: number | null } }) =>
            `${p.value}${percent(p.data.conversion)}`,
        },
      },
    ],
  };
  return (
    <section aria-labelledby="overview-journeys" className="tile">
      <h2 id="overview-journeys">{t('overview.journeys')}</h2>
      {stats.data && rows.length === 0 && <p className="muted">{t('overview.noEntries')}</p>}
      {rows.length > 0 && (
        <Chart option={option} label={t('overview.journeys')} height={Math.max(160, 56 * rows.length + 40)} />
      )}
    </section>
  );
}

type Flow = { from: string | null; to: string; customers: number };

/** Moves between lifecycle stages, this month beside last month, one pair of bars per move. */
export function StageFlowsPanel({
  flows,
}: {
  flows: { thisMonth: Flow[]; lastMonth: Flow[]; months: [string, string] };
}) {
  const t = useT();
  const name = (f: Flow) =>
    `${f.from ? lifecycleName(t, f.from) : t('overview.noStage')} → ${lifecycleName(t, f.to)}`;
  const moves = [...new Set([...flows.thisMonth, ...flows.lastMonth].map(name))];
  const count = (list: Flow[], move: string) => list.find((f) => name(f) === move)?.customers ?? 0;
  moves.sort(
    (a, b) =>
      count(flows.thisMonth, b) +
      count(flows.lastMonth, b) -
      count(flows.thisMonth, a) -
      count(flows.lastMonth, a),
  );
  const [thisMonth, lastMonth] = flows.months;
  const option: ChartOption = {
    grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: moves },
    series: [
      {
        type: 'bar',
        name: thisMonth,
        data: moves.map((m) => count(flows.thisMonth, m)),
        label: { show: true, position: 'right' },
      },
      {
        type: 'bar',
        name: lastMonth,
        data: moves.map((m) => count(flows.lastMonth, m)),
        itemStyle: { color: '#a0aec0' },
      },
    ],
  };
  return (
    <section aria-labelledby="overview-flows" className="tile">
      <h2 id="overview-flows">{t('overview.flows')}</h2>
      {moves.length === 0 ? (
        <p className="muted">{t('overview.noFlows')}</p>
      ) : (
        <Chart option={option} label={t('overview.flows')} height={Math.max(160, 44 * moves.length + 40)} />
      )}
    </section>
  );
}
