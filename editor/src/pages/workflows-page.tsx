import { useState } from 'react';
import { api, unwrap, yamlBody } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useQuery } from '../api/use-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { listLocalDrafts } from '../model/local-draft.ts';
import { uniqueName } from '../model/names.ts';
import { duplicateYaml, STAGES } from '../model/new-journey.ts';
import { Link, navigate } from '../router.tsx';
import { NewJourneyDialog } from './new-journey-dialog.tsx';
import { StageBadge } from './stage-badge.tsx';

type Summary = {
  id: string;
  name: string;
  stage: string | null;
  publishedVersion: number | null;
  latestVersion: number;
};

/** Every journey: stage, versions, drafts, customers in flight, conversion; create, duplicate, archive. */
export function WorkflowsPage() {
  const t = useT();
  const { canEdit } = useSession();
  const [archived, setArchived] = useState(false);
  const [stage, setStage] = useState('all');
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const list = useQuery(
    `workflows:${archived}`,
    () =>
      unwrap(api.workflows.$get({ query: archived ? { archived: 'true' } : {} } as never)) as Promise<{
        workflows: Summary[];
      }>,
  );
  const stats = useQuery('stats', () => unwrap(api.stats.workflows.$get()), 5000);
  const drafts = listLocalDrafts();
  const workflows = list.data?.workflows ?? [];
  const unsavedNew = archived
    ? []
    : drafts.filter((d) => d.baseVersion === null && !workflows.some((w) => w.id === d.id));
  const shown = workflows.filter((w) => stage === 'all' || stageGroup(w.stage) === stage);

  async function duplicate(w: Summary) {
    try {
      const version = await unwrap(
        api.workflows[':id'].versions[':version'].$get({
          param: { id: w.id, version: String(w.latestVersion) },
        }),
      );
      const id = uniqueName(
        `${w.id}-copy`,
        workflows.map((x) => x.id),
      );
      const yaml = duplicateYaml((version as { yaml: string }).yaml, id, `${w.name} (${t('list.copy')})`);
      const saved = await unwrap(api.workflows.$post({}, yamlBody(yaml)));
      navigate(`/workflows/${saved.id}`);
    } catch (error) {
      setMessage((error as Error).message);
    }
  }

  async function archive(w: Summary, yes: boolean) {
    if (yes && !confirm(t('list.archiveConfirm', { name: w.name }))) return;
    try {
      const param = { param: { id: w.id } };
      await (yes
        ? unwrap(api.workflows[':id'].archive.$post(param))
        : unwrap(api.workflows[':id'].archive.$delete(param)));
      setMessage(t(yes ? 'list.archived' : 'list.restored', { name: w.name }));
      list.reload();
    } catch (error) {
      setMessage((error as Error).message);
    }
  }

  return (
    <main className="page">
      <div className="page-head">
        <h1>{t('list.title')}</h1>
        {canEdit && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('list.new')}
          </button>
        )}
      </div>
      <div className="filters">
        <label>
          {t('list.stage')}
          <select value={stage} onChange={(e) => setStage(e.target.value)}>
            <option value="all">{t('list.allStages')}</option>
            {[...STAGES, 'other'].map((s) => (
              <option key={s} value={s}>
                {t(`stage.${s}` as never)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
          {t('list.showArchived')}
        </label>
      </div>
      <p role="status" aria-live="polite" className="status-line">
        {message}
      </p>
      {list.error && <p className="error">{list.error.message}</p>}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('list.name')}</th>
            <th scope="col">{t('list.stage')}</th>
            <th scope="col">{t('list.published')}</th>
            <th scope="col">{t('list.draft')}</th>
            <th scope="col">{t('list.inFlight')}</th>
            <th scope="col">{t('list.conversion')}</th>
            <th scope="col">
              <span className="sr-only">{t('list.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {unsavedNew.map((d) => (
            <tr key={`draft-${d.id}`}>
              <td>
                <Link href={`/workflows/${d.id}`}>{d.id}</Link>
              </td>
              <td />
              <td>—</td>
              <td>
                <span className="badge warn">{t('list.notSavedYet')}</span>
              </td>
              <td />
              <td />
              <td />
            </tr>
          ))}
          {shown.map((w) => {
            const s = stats.data?.workflows.find((x) => x.id === w.id);
            const local = drafts.find((d) => d.id === w.id);
            return (
              <tr key={w.id}>
                <td>
                  <Link href={`/workflows/${w.id}`}>{w.name}</Link>
                  <div className="muted small">{w.id}</div>
                </td>
                <td>
                  <StageBadge stage={w.stage} />
                </td>
                <td>{w.publishedVersion ? `v${w.publishedVersion}` : t('list.unpublished')}</td>
                <td>
                  {local ? (
                    <span className="badge warn">{t('list.unsavedHere')}</span>
                  ) : w.latestVersion !== w.publishedVersion ? (
                    <span className="badge">{t('list.draftVersion', { version: w.latestVersion })}</span>
                  ) : (
                    <span className="muted">{t('list.upToDate')}</span>
                  )}
                </td>
                <td className="num">
                  {s?.active ?? '…'}
                  {s && s.failed > 0 && (
                    <div>
                      <Link
                        href={`/workflows/${w.id}?mode=live`}
                        className="badge bad"
                        title={t('list.failedRunsHelp')}
                      >
                        {t('list.failedRuns', { count: s.failed })}
                      </Link>
                    </div>
                  )}
                </td>
                <td className="num">{s ? percent(s.conversion) : '…'}</td>
                <td className="actions">
                  {canEdit && !archived && (
                    <>
                      <button
                        type="button"
                        onClick={() => void duplicate(w)}
                        aria-label={t('list.duplicateName', { name: w.name })}
                      >
                        {t('list.duplicate')}
                      </button>
                      <button
                        type="button"
                        onClick={() => void archive(w, true)}
                        aria-label={t('list.archiveName', { name: w.name })}
                      >
                        {t('list.archive')}
                      </button>
                    </>
                  )}
                  {canEdit && archived && (
                    <button type="button" onClick={() => void archive(w, false)}>
                      {t('list.restore')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!list.loading && shown.length === 0 && unsavedNew.length === 0 && (
        <p className="muted">{t('list.empty')}</p>
      )}
      {creating && <NewJourneyDialog taken={workflows.map((w) => w.id)} onClose={() => setCreating(false)} />}
    </main>
  );
}

function stageGroup(stage: string | null): string {
  return stage && (STAGES as readonly string[]).includes(stage) ? stage : 'other';
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
}
