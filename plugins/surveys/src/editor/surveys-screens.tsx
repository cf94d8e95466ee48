import {
  dayStartIso,
  type EditorHost,
  type EditorScreenProps,
  type Localized,
  useLoad,
} from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import { ScoreChart } from './score-chart.tsx';
import { TEXT } from './texts.ts';
import { type SurveyTrend, TrendChart } from './trend-chart.tsx';

/** What `GET /api/surveys/:id/results` answers. */
interface SurveyResults {
  survey: string;
  kind: string;
  sent: number;
  answered: number;
  responseRate: number | null;
  nps?: number | null;
  /** Mean score on the 1–5 scale, and the share of 4s and 5s. */
  csat?: number | null;
  satisfied?: number | null;
  distribution: { score: number; count: number }[];
  /** Every point of the scale, zeros included. */
  scale: { score: number; count: number }[];
  comments: {
    customerId: string;
    /** Null when the customer has no name (or was erased). */
    customerName: string | null;
    answeredAt: string;
    score: number | null;
    question: string;
    text: string;
  }[];
}

const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 1000) / 10}%`);

/** The surveys in the workflows folder, each linking to its results. */
export function SurveysScreen({ host }: EditorScreenProps) {
  const list = useLoad('surveys', () =>
    host.get<{ surveys: { id: string; title: Localized }[] }>('/api/surveys'),
  );
  return (
    <main className="page">
      <h1>{host.text(TEXT.title)}</h1>
      {list.error && (
        <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.title), message: list.error })}</p>
      )}
      {list.data && list.data.surveys.length === 0 && <p className="muted">{host.text(TEXT.none)}</p>}
      <ul className="plain-list">
        {list.data?.surveys.map((s) => (
          <li key={s.id}>
            <a
              href={`/surveys/${encodeURIComponent(s.id)}`}
              onClick={(e) => {
                e.preventDefault();
                host.navigate(`/surveys/${encodeURIComponent(s.id)}`);
              }}
            >
              {host.text(s.title)}
            </a>{' '}
            <span className="muted small">{s.id}</span>
          </li>
        ))}
      </ul>
    </main>
  );
}

type Filters = { workflow: string; segment: string; from: string; to: string };
const NO_FILTERS: Filters = { workflow: '', segment: '', from: '', to: '' };

/**
 * One survey's results: response rate, NPS or CSAT, every point of the scale, the score over
 * time, every comment with its customer; narrowed by journey, segment and the days it was sent;
 * the answers as a CSV file.
 */
export function SurveyResultsScreen({ host, params }: EditorScreenProps) {
  const id = params.id ?? '';
  const [form, setForm] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [by, setBy] = useState<'week' | 'month'>('week');
  const query: Record<string, string> = {
    ...(applied.workflow ? { workflow: applied.workflow } : {}),
    ...(applied.segment ? { segment: applied.segment } : {}),
    ...(applied.from ? { from: dayStartIso(applied.from) } : {}),
    ...(applied.to ? { to: dayStartIso(applied.to, true) } : {}),
  };
  const key = JSON.stringify(query);
  const path = `/api/surveys/${encodeURIComponent(id)}`;
  const results = useLoad(
    `survey:${id}:${key}`,
    () => host.get<SurveyResults>(`${path}/results`, query),
    10_000,
  );
  const trend = useLoad(`survey-trend:${id}:${key}:${by}`, () =>
    host.get<SurveyTrend>(`${path}/trend`, { ...query, by, tz: host.timeZone }),
  );
  const journeys = useLoad('survey:journeys', () =>
    host.get<{ workflows: { id: string; name: string }[] }>('/api/workflows'),
  );
  const field = (f: keyof Filters) => ({
    value: form[f],
    onChange: (e: { target: { value: string } }) => setForm((x) => ({ ...x, [f]: e.target.value })),
  });
  const r = results.data;
  return (
    <main className="page">
      <h1>{host.text(TEXT.resultsTitle, { id })}</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(form);
        }}
      >
        <label>
          {host.text(TEXT.journey)}
          <select {...field('workflow')}>
            <option value="">{host.text(TEXT.anyJourney)}</option>
            {journeys.data?.workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {host.text(TEXT.segment)}
          <input {...field('segment')} size={14} />
        </label>
        <label>
          {host.text(TEXT.from)}
          <input type="date" {...field('from')} />
        </label>
        <label>
          {host.text(TEXT.to)}
          <input type="date" {...field('to')} />
        </label>
        <button type="submit" className="primary">
          {host.text(TEXT.apply)}
        </button>
        <a
          className="button secondary"
          href={`${path}/answers.csv${key === '{}' ? '' : `?${new URLSearchParams(query)}`}`}
          download
        >
          {host.text(TEXT.csv)}
        </a>
      </form>
      {results.error && (
        <p role="alert">
          {host.text(TEXT.failed, { what: host.text(TEXT.results), message: results.error })}
        </p>
      )}
      {r && (
        <>
          <dl className="stats">
            <div>
              <dt>{host.text(TEXT.sent)}</dt>
              <dd>{r.sent}</dd>
            </div>
            <div>
              <dt>{host.text(TEXT.answered)}</dt>
              <dd>{r.answered}</dd>
            </div>
            <div>
              <dt>{host.text(TEXT.responseRate)}</dt>
              <dd>{percent(r.responseRate)}</dd>
            </div>
            {r.nps !== undefined && r.nps !== null && (
              <div>
                <dt>NPS</dt>
                <dd>{Math.round(r.nps)}</dd>
              </div>
            )}
            {r.csat !== undefined && r.csat !== null && (
              <div>
                <dt>CSAT</dt>
                <dd>
                  {r.csat.toFixed(2)} / 5
                  {r.satisfied !== undefined && r.satisfied !== null && (
                    <span className="muted small">
                      {' '}
                      ({host.text(TEXT.satisfied, { share: percent(r.satisfied) })})
                    </span>
                  )}
                </dd>
              </div>
            )}
          </dl>
          <ScoreChart host={host} distribution={r.scale} nps={r.kind === 'nps'} />
          {(r.kind === 'nps' || r.kind === 'csat') && (
            <>
              <h2>
                {host.text(TEXT.trend)}{' '}
                <select
                  aria-label={host.text(TEXT.trend)}
                  value={by}
                  onChange={(e) => setBy(e.target.value as 'week' | 'month')}
                >
                  <option value="week">{host.text(TEXT.byWeek)}</option>
                  <option value="month">{host.text(TEXT.byMonth)}</option>
                </select>
              </h2>
              {trend.data && <TrendChart host={host} trends={[trend.data]} />}
            </>
          )}
          <h2>{host.text(TEXT.comments)}</h2>
          {r.comments.length === 0 ? (
            <p className="muted">{host.text(TEXT.noComments)}</p>
          ) : (
            <table className="table" data-testid="survey-comments">
              <thead>
                <tr>
                  <th>{host.text(TEXT.when)}</th>
                  <th>{host.text(TEXT.customer)}</th>
                  <th className="num">{host.text(TEXT.score)}</th>
                  <th>{host.text(TEXT.comment)}</th>
                </tr>
              </thead>
              <tbody>
                {r.comments.map((c) => (
                  <tr key={`${c.customerId}-${c.answeredAt}-${c.question}`}>
                    <td>{host.formatDateTime(c.answeredAt)}</td>
                    <td>
                      <a
                        href={`/customers/${encodeURIComponent(c.customerId)}`}
                        onClick={(e) => {
                          e.preventDefault();
                          host.navigate(`/customers/${encodeURIComponent(c.customerId)}`);
                        }}
                      >
                        {c.customerName ?? c.customerId}
                      </a>
                    </td>
                    <td className="num">{c.score ?? '—'}</td>
                    <td>{c.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </main>
  );
}

/** The overview's panel: NPS and CSAT of every scored survey, week by week. */
export function SatisfactionPanel({ host }: { host: EditorHost }) {
  const trends = useLoad('surveys:satisfaction', async () => {
    const { surveys } = await host.get<{ surveys: { id: string; kind: string }[] }>('/api/surveys');
    const scored = surveys.filter((s) => s.kind === 'nps' || s.kind === 'csat');
    return Promise.all(
      scored.map((s) =>
        host.get<SurveyTrend>(`/api/surveys/${encodeURIComponent(s.id)}/trend`, {
          by: 'week',
          tz: host.timeZone,
        }),
      ),
    );
  });
  if (trends.error)
    return (
      <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.dashboard), message: trends.error })}</p>
    );
  if (!trends.data) return <p className="muted">{host.text(TEXT.loading)}</p>;
  if (trends.data.length === 0) return <p className="muted">{host.text(TEXT.noScored)}</p>;
  return <TrendChart host={host} trends={trends.data} />;
}
