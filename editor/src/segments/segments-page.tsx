import { unwrap } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useSession } from '../api/session.tsx';
import { useQuery } from '../api/use-query.ts';
import { useDateTime, useI18n, useT } from '../i18n/i18n.tsx';
import { LoadProblem } from '../pages/missing-route.tsx';
import { Link } from '../router.tsx';

/** A saved segment as the API lists it. */
export interface SavedSegment {
  id: string;
  name: string;
  description: string | null;
  definition: string;
  memberCount: number;
  evaluatedAt: string | null;
  updatedAt: string;
}

/** Every saved segment with its members and when they were counted; a new one. */
export function SegmentsPage() {
  const t = useT();
  const { lang } = useI18n();
  const when = useDateTime();
  const { canEdit } = useSession();
  const list = useQuery('segments', () => unwrap(getJson<{ segments: SavedSegment[] }>('/api/segments')));
  const number = new Intl.NumberFormat(lang);
  return (
    <main className="page">
      <div className="page-head">
        <h1>{t('segments.title')}</h1>
        {canEdit && (
          <Link className="button primary" href="/segments/new">
            {t('segments.new')}
          </Link>
        )}
      </div>
      <p className="muted">{t('segments.intro')}</p>
      <LoadProblem error={list.error} what={t('segments.title')} />
      {list.data?.segments.length === 0 && <p className="muted">{t('segments.none')}</p>}
      {list.data && list.data.segments.length > 0 && (
        <table className="table" data-testid="segment-list">
          <thead>
            <tr>
              <th>{t('segments.name')}</th>
              <th className="num">{t('segments.members')}</th>
              <th>{t('segments.counted')}</th>
              <th>{t('segments.condition')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.segments.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/segments/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                  <div className="muted small">{s.id}</div>
                </td>
                <td className="num">
                  <Link href={`/customers?savedSegment=${encodeURIComponent(s.id)}`}>
                    {number.format(s.memberCount)}
                  </Link>
                </td>
                <td>{s.evaluatedAt ? when(s.evaluatedAt) : t('segments.evaluating')}</td>
                <td>
                  <code className="clip">{s.definition}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
