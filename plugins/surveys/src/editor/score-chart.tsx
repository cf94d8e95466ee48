import type { EditorHost } from '@tend/plugin-sdk/editor';
import { TEXT } from './texts.ts';

/** Bars per score; for NPS, detractors (0–6), passives (7–8) and promoters (9–10) get their colours. */
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
  const max = Math.max(...distribution.map((d) => d.count), 1);
  const width = 36;
  const height = 160;
  const group = (score: number) =>
    !nps ? 'plain' : score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter';
  return (
    <figure className="chart">
      <svg
        width={distribution.length * (width + 8)}
        height={height + 40}
        role="img"
        aria-labelledby="chart-caption"
      >
        <title>{host.text(TEXT.chartCaption)}</title>
        {distribution.map((d, i) => {
          const h = Math.round((d.count / max) * height);
          return (
            <g key={d.score} transform={`translate(${i * (width + 8)},0)`}>
              <rect y={height - h} width={width} height={h} className={`bar bar-${group(d.score)}`} />
              <text x={width / 2} y={height + 16} textAnchor="middle">
                {d.score}
              </text>
              <text x={width / 2} y={Math.max(height - h - 4, 12)} textAnchor="middle" className="bar-count">
                {d.count}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id="chart-caption">{host.text(TEXT.chartCaption)}</figcaption>
      <table className="sr-only">
        <thead>
          <tr>
            <th scope="col">{host.text(TEXT.score)}</th>
            <th scope="col">{host.text(TEXT.count)}</th>
          </tr>
        </thead>
        <tbody>
          {distribution.map((d) => (
            <tr key={d.score}>
              <td>{d.score}</td>
              <td>{d.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
