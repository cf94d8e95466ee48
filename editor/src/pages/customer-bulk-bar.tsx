import { useEffect, useState } from 'react';
import { unwrap, withSession } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useSession } from '../api/session.tsx';
import { useQuery } from '../api/use-query.ts';
import { useT } from '../i18n/i18n.tsx';

type Action = 'tag' | 'untag' | 'start' | 'export' | 'erase';
interface BulkAction {
  id: string;
  action: Action;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  error: string | null;
}

/**
 * Acts on every customer the list shows (its filters and name search, all pages): add or remove
 * a tag, start a journey, export as CSV or erase (admins); after a confirmation, with the
 * workers' progress.
 */
export function CustomerBulkBar({
  filter,
  onDone,
  initial = 'tag',
  picked = [],
  onStarted,
}: {
  filter: Record<string, string>;
  onDone: () => void;
  /** The action first offered (a segment's page offers to start a journey). */
  initial?: Action;
  /** Rows picked by hand: the action takes only these (none: everyone the filter selects). */
  picked?: string[];
  /** The action was accepted (the page lets go of the rows picked for it). */
  onStarted?: () => void;
}) {
  const t = useT();
  const { canEdit, status } = useSession();
  const admin = status.kind === 'signed-in' && status.user.role === 'admin';
  const [action, setAction] = useState<Action>(initial);
  const [tag, setTag] = useState('');
  const [workflow, setWorkflow] = useState('');
  const [running, setRunning] = useState<BulkAction | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const journeys = useQuery(canEdit ? 'bulk:journeys' : null, () =>
    unwrap(
      getJson<{ workflows: { id: string; name: string; publishedVersion: number | null }[] }>(
        '/api/workflows',
      ),
    ),
  );
  // The workers' progress, once a second until the action is over.
  useEffect(() => {
    if (running?.status !== 'running') return;
    const timer = setTimeout(async () => {
      const next = await unwrap(getJson<BulkAction>(`/api/customers/bulk/${running.id}`)).catch(
        () => running,
      );
      setRunning(next);
      if (next.status !== 'running') onDone();
    }, 1000);
    return () => clearTimeout(timer);
  }, [running, onDone]);
  if (!canEdit) return null;

  const apply = async () => {
    setProblem(null);
    const ask = picked.length
      ? t(action === 'erase' ? 'bulk.confirmErasePicked' : 'bulk.confirmPicked', { n: picked.length })
      : t(action === 'erase' ? 'bulk.confirmErase' : 'bulk.confirm');
    if (!window.confirm(ask)) return;
    const body = {
      action,
      filter,
      ...(picked.length ? { ids: picked } : {}),
      ...(action === 'tag' || action === 'untag' ? { tag } : {}),
      ...(action === 'start' ? { workflow } : {}),
    };
    const res = await withSession('/api/customers/bulk', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const answer = (await res.json().catch(() => ({}))) as BulkAction & { error?: { message?: string } };
    if (!res.ok) return setProblem(answer.error?.message ?? String(res.status));
    setRunning(answer);
    onStarted?.();
  };
  const actions: Action[] = admin ? ['tag', 'untag', 'start', 'export', 'erase'] : ['tag', 'untag', 'start'];
  return (
    <section aria-label={t('bulk.title')} className="bulk-bar">
      <strong data-testid="bulk-scope">
        {picked.length ? t('bulk.picked', { n: picked.length }) : t('bulk.title')}
      </strong>
      <label>
        {t('bulk.action')}
        <select value={action} onChange={(e) => setAction(e.target.value as Action)}>
          {actions.map((a) => (
            <option key={a} value={a}>
              {t(`bulk.do.${a}`)}
            </option>
          ))}
        </select>
      </label>
      {(action === 'tag' || action === 'untag') && (
        <label>
          {t('bulk.tag')}
          <input value={tag} onChange={(e) => setTag(e.target.value)} size={12} />
        </label>
      )}
      {action === 'start' && (
        <label>
          {t('bulk.journey')}
          <select value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
            <option value="">—</option>
            {journeys.data?.workflows
              .filter((w) => w.publishedVersion !== null)
              .map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
          </select>
        </label>
      )}
      <button
        type="button"
        className={action === 'erase' ? 'danger' : 'primary'}
        disabled={running?.status === 'running'}
        onClick={() => void apply()}
      >
        {t('bulk.apply')}
      </button>
      {problem && <p role="alert">{problem}</p>}
      {running && (
        <p role="status">
          <progress max={Math.max(running.total, 1)} value={running.done} />{' '}
          {running.status === 'running'
            ? t('bulk.progress', { done: running.done, total: running.total })
            : running.status === 'done'
              ? t('bulk.finished', { done: running.done })
              : t('bulk.failed', { message: running.error ?? '' })}
          {running.status === 'done' && running.action === 'export' && (
            <>
              {' '}
              <a className="button" href={`/api/customers/bulk/${running.id}/export.csv`} download>
                {t('bulk.download')}
              </a>
            </>
          )}
        </p>
      )}
    </section>
  );
}
