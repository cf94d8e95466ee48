import { Chart, type ChartOption, type EditorHost } from '@tend/plugin-sdk/editor';
import { TEXT } from './texts.ts';

const COLOURS = { detractor: '#c53030', passive: '#b7791f', promoter: '#2f855a', plain: '#3b6ea5' };

/** Bars per score, zeros included; for NPS, detractors (0–6), passives (7–8) and promoters (9–10) in their colours. */
export function ScoreChart({
  host,
  distribution,
  nps,
}: {
  host: EditorHost;
  distribution: { score: number; count: number }[];
  nps: boolean;
}) {
  if (distribution.every((d) => d.count === 0)) return <p className="muted">{host.text(TEXT.noAnswers)}</p>;
  const group = (score: number) =>
    !nps ? 'plain' : score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter';
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', name: host.text(TEXT.score), data: distribution.map((d) => String(d.score)) },
    yAxis: { type: 'value', minInterval: 1, name: host.text(TEXT.count) },
    series: [
      {
        type: 'bar',
        name: host.text(TEXT.count),
        data: distribution.map((d) => ({ value: d.count, itemStyle: { color: COLOURS[group(d.score)] } })),
        label: { show: true, position: 'top' },
      },
    ],
  };
  return (
    <section aria-label={host.text(TEXT.chartCaption)}>
      <Chart option={option} label={host.text(TEXT.chartCaption)} height={240} />
    </section>
  );
}
