import { type EditorScreenProps, type Localized, useLoad } from '@tend/plugin-sdk/editor';
import { ScoreChart } from './score-chart.tsx';
import { TEXT } from './texts.ts';

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

/** One survey's results: response rate, NPS or CSAT, and the distribution of scores. */
export function SurveyResultsScreen({ host, params }: EditorScreenProps) {
  const id = params.id ?? '';
  const results = useLoad(
    `survey:${id}`,
    () => host.get<SurveyResults>(`/api/surveys/${encodeURIComponent(id)}/results`),
    10_000,
  );
  const r = results.data;
  return (
    <main className="page">
      <h1>{host.text(TEXT.resultsTitle, { id })}</h1>
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
                        {c.customerId}
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
