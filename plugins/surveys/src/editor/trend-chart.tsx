import { Chart, type ChartOption, type EditorHost } from '@tend/plugin-sdk/editor';
import { TEXT } from './texts.ts';

/** What `GET /api/surveys/:id/trend` answers. */
export interface SurveyTrend {
  survey: string;
  kind: string;
  periods: { period: string; answers: number; nps?: number | null; csat?: number | null }[];
}

/** NPS or CSAT per period as a line, the answers behind each point as bars on a second axis. */
export function TrendChart({ host, trends }: { host: EditorHost; trends: SurveyTrend[] }) {
  const periods = [...new Set(trends.flatMap((t) => t.periods.map((p) => p.period)))].sort();
  if (periods.length === 0) return <p className="muted">{host.text(TEXT.noAnswers)}</p>;
  const value = (t: SurveyTrend, period: string) => {
    const p = t.periods.find((x) => x.period === period);
    return p ? (t.kind === 'nps' ? (p.nps ?? null) : (p.csat ?? null)) : null;
  };
  const single = trends.length === 1 ? trends[0] : undefined;
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: periods },
    yAxis: [
      { type: 'value', name: 'NPS / CSAT', scale: true },
      ...(single
        ? [{ type: 'value', name: host.text(TEXT.count), minInterval: 1, splitLine: { show: false } }]
        : []),
    ],
    series: [
      ...trends.map((t) => ({
        type: 'line',
        name: `${t.survey} (${t.kind === 'nps' ? 'NPS' : 'CSAT'})`,
        data: periods.map((p) => value(t, p)),
        connectNulls: true,
        label: { show: true },
      })),
      ...(single
        ? [
            {
              type: 'bar',
              name: host.text(TEXT.count),
              yAxisIndex: 1,
              data: periods.map((p) => single.periods.find((x) => x.period === p)?.answers ?? 0),
              itemStyle: { color: '#cbd5e0' },
            },
          ]
        : []),
    ],
  };
  return (
    <section aria-label={host.text(TEXT.trendCaption)}>
      <Chart option={option} label={host.text(TEXT.trendCaption)} height={260} />
    </section>
  );
}
