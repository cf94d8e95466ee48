import { Chart, type ChartOption } from '@tend/plugin-sdk/editor';
import { useMemo } from 'react';
import { unwrap } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useQuery } from '../api/use-query.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { PluginDashboardPanels } from '../plugins/plugin-panels.tsx';
import { navigate } from '../router.tsx';
import { RFM_SEGMENTS } from './customer-profile.tsx';
import { LoadProblem } from './missing-route.tsx';
import { JourneysPanel, MessagesPanel, StageFlowsPanel } from './overview-panels.tsx';
import { lifecycleName } from './stage-badge.tsx';

type Flow = { from: string | null; to: string; customers: number };

interface Overview {
  stages: Record<string, number>;
  segments: Record<string, number>;
  rfm: { r: number; f: number; customers: number; monetary: number }[];
  flows: { thisMonth: Flow[]; lastMonth: Flow[]; months: [string, string] };
  at: string;
}

const SCORES = ['1', '2', '3', '4', '5'];

/**
 * The customer base at a glance: customers per lifecycle stage and per RFM segment (click one to
 * list its customers), the recency × frequency grid coloured by spend, and the plugins' panels
 * (complaints, surveys…).
 */
export function OverviewPage() {
  const { t, lang } = useI18n();
  const overview = useQuery('overview', () => unwrap(getJson<Overview>('/api/overview')), 30_000);
  const data = overview.data;
  const charts = useMemo(() => {
    if (!data) return null;
    const stages = Object.entries(data.stages).sort((a, b) => b[1] - a[1]);
    const segments = RFM_SEGMENTS.filter((s) => data.segments[s]).map(
      (s) => [s, data.segments[s] ?? 0] as const,
    );
    const stageChart: ChartOption = {
      grid: { left: 90, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: stages.map(([s]) => (s === 'none' ? t('overview.noStage') : lifecycleName(t, s))),
      },
      series: [{ type: 'bar', data: stages.map(([, n]) => n), label: { show: true, position: 'right' } }],
    };
    const segmentChart: ChartOption = {
      grid: { left: 130, right: 40, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: segments.map(([s]) => t(`rfm.${s}` as never)) },
      series: [
        {
          type: 'bar',
          data: segments.map(([s, n]) => ({ value: n, segment: s })),
          label: { show: true, position: 'right' },
          itemStyle: { color: '#2f6fed' },
        },
      ],
    };
    const rfmChart: ChartOption = {
      grid: { left: 70, right: 24, top: 8, bottom: 80 },
      tooltip: {
        formatter: (p: { value: number[] }) =>
          t('overview.rfmCell', {
            r: p.value[1] ?? 0,
            f: p.value[0] ?? 0,
            n: p.value[3] ?? 0,
            m: p.value[2] ?? 0,
          }),
      },
      xAxis: {
        type: 'category',
        data: SCORES,
        name: t('overview.frequency'),
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: {
        type: 'category',
        data: SCORES,
        name: t('overview.recency'),
        nameLocation: 'middle',
        nameGap: 36,
      },
      visualMap: {
        min: 1,
        max: 5,
        dimension: 2,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        calculable: false,
        text: [t('overview.spendsMore'), t('overview.spendsLess')],
        inRange: { color: ['#e8eefc', '#2f6fed', '#12357a'] },
      },
      series: [
        {
          type: 'heatmap',
          data: data.rfm.map((c) => [c.f - 1, c.r - 1, c.monetary, c.customers]),
          label: { show: true, formatter: (p: { value: number[] }) => String(p.value[3] ?? '') },
        },
      ],
    };
    return { stageChart, segmentChart, rfmChart, segments };
  }, [data, t]);
  return (
    <main className="page">
      <h1>{t('overview.title')}</h1>
      {data && (
        <p className="muted small">{t('overview.asOf', { at: new Date(data.at).toLocaleString(lang) })}</p>
      )}
      <LoadProblem error={overview.error} what={t('overview.title')} />
      {data && charts && (
        <div className="dashboard">
          <section aria-labelledby="overview-stages" className="tile">
            <h2 id="overview-stages">{t('overview.stages')}</h2>
            <Chart option={charts.stageChart} label={t('overview.stages')} />
          </section>
          <section aria-labelledby="overview-rfm" className="tile">
            <h2 id="overview-rfm">{t('overview.rfm')}</h2>
            <Chart
              option={charts.rfmChart}
              label={t('overview.rfm')}
              height={320}
              onClick={(i) => {
                const cell = data.rfm[i];
                if (cell) navigate(`/customers?r=${cell.r}&f=${cell.f}`);
              }}
            />
          </section>
          <section aria-labelledby="overview-segments" className="tile">
            <h2 id="overview-segments">{t('overview.segments')}</h2>
            <Chart option={charts.segmentChart} label={t('overview.segments')} height={320} />
            <p className="small">
              {charts.segments.map(([s, n]) => (
                <button
                  key={s}
                  type="button"
                  className="chip"
                  onClick={() => navigate(`/customers?segment=${encodeURIComponent(s)}`)}
                >
                  {t(`rfm.${s}` as never)} · {n}
                </button>
              ))}
            </p>
          </section>
          <StageFlowsPanel flows={data.flows} />
          <JourneysPanel />
          <MessagesPanel />
          <PluginDashboardPanels />
        </div>
      )}
    </main>
  );
}
