import { api, unwrap } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useQuery } from '../api/use-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import { LoadProblem } from './missing-route.tsx';
import { ScoreChart } from './score-chart.tsx';
import { percent } from './workflows-page.tsx';

/** What `GET /api/surveys/:id/results` answers. */
export interface SurveyResults {
  survey: string;
  sent: number;
  answered: number;
  responseRate: number | null;
  nps?: number | null;
  /** Mean score on the 1–5 scale, and the share of 4s and 5s. */
  csat?: number | null;
  satisfied?: number | null;
  distribution: { score: number; count: number }[];
}

/** The surveys in the workflows folder, each linking to its results. */
export function SurveysPage() {
  const t = useT();
  const library = useQuery('library', () => unwrap(api.library.$get()));
  return (
    <main className="page">
      <h1>{t('surveys.title')}</h1>
      {library.data && library.data.surveys.length === 0 && <p className="muted">{t('surveys.none')}</p>}
      <ul className="plain-list">
        {library.data?.surveys.map((s) => (
          <li key={s.id}>
            <Link href={`/surveys/${encodeURIComponent(s.id)}`}>{s.title ?? s.id}</Link>{' '}
            <span className="muted small">{s.id}</span>
          </li>
        ))}
      </ul>
    </main>
  );
}

/** One survey's results: response rate, NPS or CSAT, and the distribution of scores. */
export function SurveyPage({ id }: { id: string }) {
  const t = useT();
  const results = useQuery(
    `survey:${id}`,
    () => unwrap(getJson<SurveyResults>(`/api/surveys/${encodeURIComponent(id)}/results`)),
    10_000,
  );
  const r = results.data;
  return (
    <main className="page">
      <h1>{t('surveys.resultsTitle', { id })}</h1>
      <LoadProblem error={results.error} what={t('surveys.results')} />
      {r && (
        <>
          <dl className="stats">
            <div>
              <dt>{t('surveys.sent')}</dt>
              <dd>{r.sent}</dd>
            </div>
            <div>
              <dt>{t('surveys.answered')}</dt>
              <dd>{r.answered}</dd>
            </div>
            <div>
              <dt>{t('surveys.responseRate')}</dt>
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
                      ({t('surveys.satisfied', { share: percent(r.satisfied) })})
                    </span>
                  )}
                </dd>
              </div>
            )}
          </dl>
          <ScoreChart distribution={r.distribution} nps={r.nps !== undefined && r.nps !== null} />
        </>
      )}
    </main>
  );
}
