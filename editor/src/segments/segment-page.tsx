import { checkCel } from '@tend/plugin-sdk/cel';
import { useEffect, useState } from 'react';
import { unwrap, withSession } from '../api/client.ts';
import { getJson } from '../api/get-json.ts';
import { useSession } from '../api/session.tsx';
import { useQuery } from '../api/use-query.ts';
import { useDateTime, useI18n, useT } from '../i18n/i18n.tsx';
import { CustomerBulkBar } from '../pages/customer-bulk-bar.tsx';
import { LoadProblem } from '../pages/missing-route.tsx';
import { Link, navigate } from '../router.tsx';
import { SegmentBuilder } from './segment-builder.tsx';
import { celToGroup } from './segment-cel-read.ts';
import { SegmentPreview } from './segment-preview.tsx';
import { type Group, groupProblems, groupToCel } from './segment-rules.ts';
import type { SavedSegment } from './segments-page.tsx';

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const EMPTY: Group = { join: 'all', items: [] };

/** A segment's id from its name: Latin letters and digits kept, the rest dashes (Chinese names give none). */
function idFrom(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** `/segments/new` and `/segments/:id`: build the condition, watch the count, save, act on members. */
export function SegmentPage({ id }: { id: string }) {
  const isNew = id === 'new';
  const saved = useQuery(isNew ? null : `segment:${id}`, () =>
    unwrap(getJson<SavedSegment>(`/api/segments/${encodeURIComponent(id)}`)),
  );
  if (!isNew && !saved.data) {
    return (
      <main className="page">
        <LoadProblem error={saved.error} what={id} />
      </main>
    );
  }
  return (
    <SegmentEditor key={saved.data?.updatedAt ?? 'new'} saved={saved.data ?? null} onSaved={saved.reload} />
  );
}

function SegmentEditor({ saved, onSaved }: { saved: SavedSegment | null; onSaved: () => void }) {
  const t = useT();
  const { canEdit } = useSession();
  const [name, setName] = useState(saved?.name ?? '');
  const [segmentId, setSegmentId] = useState(saved?.id ?? '');
  const [idTouched, setIdTouched] = useState(saved !== null);
  const [description, setDescription] = useState(saved?.description ?? '');
  const initial = saved ? celToGroup(saved.definition) : EMPTY;
  const [mode, setMode] = useState<'builder' | 'cel'>(initial ? 'builder' : 'cel');
  const [group, setGroup] = useState<Group>(initial ?? EMPTY);
  const [cel, setCel] = useState(saved?.definition ?? 'true');
  const [handWritten, setHandWritten] = useState(initial === null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stages = useQuery('lifecycle', () => unwrap(getJson<{ stages: { id: string }[] }>('/api/lifecycle')));

  const problems = groupProblems(group);
  const celCheck = checkCel(cel);
  const definition =
    mode === 'builder' ? (problems.size === 0 ? groupToCel(group) : null) : celCheck.ok ? cel : null;

  const toCel = () => {
    if (problems.size === 0) setCel(groupToCel(group));
    setMode('cel');
  };
  const toBuilder = () => {
    const read = celToGroup(cel);
    setHandWritten(read === null);
    if (read) {
      setGroup(read);
      setMode('builder');
    }
  };

  async function save() {
    if (!definition) return setProblem(t('segments.fixFirst'));
    setBusy(true);
    setProblem(null);
    const body = { name, definition, ...(description ? { description } : {}) };
    const res = await withSession(saved ? `/api/segments/${encodeURIComponent(saved.id)}` : '/api/segments', {
      method: saved ? 'PUT' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(saved ? body : { ...body, id: segmentId }),
    });
    const answer = (await res.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
    setBusy(false);
    if (!res.ok) return setProblem(answer.error?.message ?? String(res.status));
    if (saved) onSaved();
    else navigate(`/segments/${encodeURIComponent(answer.id ?? segmentId)}`, { replace: true });
  }

  async function remove() {
    if (!saved || !window.confirm(t('segments.confirmDelete'))) return;
    const res = await withSession(`/api/segments/${encodeURIComponent(saved.id)}`, { method: 'DELETE' });
    if (res.ok) navigate('/segments');
    else setProblem(String(res.status));
  }

  const readOnly = !canEdit;
  return (
    <main className="page wide">
      <p>
        <Link href="/segments">← {t('segments.title')}</Link>
      </p>
      <h1>{saved?.name || name || t('segments.new')}</h1>
      <div className="segment-layout">
        <div>
          <div className="filters">
            <label>
              {t('segments.name')}
              <input
                value={name}
                readOnly={readOnly}
                onChange={(e) => {
                  setName(e.target.value);
                  if (!idTouched) setSegmentId(idFrom(e.target.value));
                }}
              />
            </label>
            <label>
              {t('segments.id')}
              <input
                value={segmentId}
                readOnly={saved !== null || readOnly}
                aria-invalid={segmentId !== '' && !ID.test(segmentId)}
                aria-describedby="segment-id-help"
                onChange={(e) => {
                  setIdTouched(true);
                  setSegmentId(e.target.value);
                }}
              />
            </label>
            <label className="grow">
              {t('segments.description')}
              <input
                value={description}
                readOnly={readOnly}
                onChange={(e) => setDescription(e.target.value)}
              />
            </label>
          </div>
          {!saved && (
            <p id="segment-id-help" className="muted small">
              {t('segments.idHelp')}
            </p>
          )}
          <fieldset className="toolbar-modes plain">
            <legend className="sr-only">{t('segments.condition')}</legend>
            <button
              type="button"
              className={`tab ${mode === 'builder' ? 'active' : ''}`}
              aria-pressed={mode === 'builder'}
              onClick={toBuilder}
            >
              {t('segments.builder')}
            </button>
            <button
              type="button"
              className={`tab ${mode === 'cel' ? 'active' : ''}`}
              aria-pressed={mode === 'cel'}
              onClick={toCel}
            >
              {t('segments.cel')}
            </button>
          </fieldset>
          {mode === 'builder' ? (
            <SegmentBuilder
              group={group}
              onChange={setGroup}
              stages={stages.data?.stages.map((s) => s.id) ?? []}
              problems={problems}
              readOnly={readOnly}
            />
          ) : (
            <div className="field cel-field">
              <label htmlFor="segment-cel">{t('segments.celHelp')}</label>
              <textarea
                id="segment-cel"
                className="code"
                rows={6}
                spellCheck={false}
                value={cel}
                readOnly={readOnly}
                aria-invalid={!celCheck.ok}
                data-testid="segment-cel"
                onChange={(e) => setCel(e.target.value)}
              />
              <p className={celCheck.ok ? 'hint ok' : 'error'} aria-live="polite">
                {celCheck.ok ? t('cel.ok') : `${t('cel.error')}: ${celCheck.message}`}
              </p>
              {handWritten && (
                <p className="muted">
                  {t('segments.handWritten')}{' '}
                  <button
                    type="button"
                    className="link-button"
                    disabled={readOnly}
                    onClick={() => {
                      setGroup(EMPTY);
                      setHandWritten(false);
                      setMode('builder');
                    }}
                  >
                    {t('segments.startOver')}
                  </button>
                </p>
              )}
            </div>
          )}
          {canEdit && (
            <div className="row">
              <button
                type="button"
                className="primary"
                disabled={busy || !name.trim() || !ID.test(segmentId)}
                onClick={() => void save()}
              >
                {t('segments.save')}
              </button>
              {saved && (
                <button type="button" className="danger" onClick={() => void remove()}>
                  {t('segments.delete')}
                </button>
              )}
            </div>
          )}
          {problem && <p role="alert">{problem}</p>}
          {saved && <Members saved={saved} />}
        </div>
        <SegmentPreview definition={definition} />
      </div>
    </main>
  );
}

/** The saved segment's members: counted by the workers after a save (polled until then), then acted on. */
function Members({ saved }: { saved: SavedSegment }) {
  const t = useT();
  const { lang } = useI18n();
  const when = useDateTime();
  const [current, setCurrent] = useState(saved);
  const counted = current.evaluatedAt !== null && current.evaluatedAt >= current.updatedAt;
  useEffect(() => {
    if (counted) return;
    const timer = setTimeout(async () => {
      const next = await unwrap(getJson<SavedSegment>(`/api/segments/${encodeURIComponent(saved.id)}`)).catch(
        () => current,
      );
      setCurrent({ ...next });
    }, 1000);
    return () => clearTimeout(timer);
  }, [counted, current, saved.id]);
  const filter = { savedSegment: saved.id };
  return (
    <section aria-label={t('segments.members')} className="segment-members">
      <h2>{t('segments.members')}</h2>
      {counted ? (
        <p data-testid="segment-members">
          {t('segments.memberCount', {
            n: new Intl.NumberFormat(lang).format(current.memberCount),
            at: when(current.evaluatedAt as string),
          })}{' '}
          <Link href={`/customers?savedSegment=${encodeURIComponent(saved.id)}`}>
            {t('segments.openCustomers')}
          </Link>
        </p>
      ) : (
        <p role="status">
          <progress /> {t('segments.evaluating')}
        </p>
      )}
      {counted && (
        <>
          <h3>{t('segments.act')}</h3>
          <CustomerBulkBar filter={filter} onDone={() => {}} initial="start" />
        </>
      )}
    </section>
  );
}
