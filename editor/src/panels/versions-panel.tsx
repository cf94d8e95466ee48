import { useState } from 'react';
import type { Journey } from '../editor/use-journey.ts';
import { useDateTime, useT } from '../i18n/i18n.tsx';
import { YamlDiff } from './yaml-diff.tsx';

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * Versions: the difference with the published version (on the canvas and as a YAML diff),
 * publishing, and rolling back by publishing an earlier version.
 */
export function VersionsPanel({
  journey,
  compare,
  onCompare,
  canEdit,
}: {
  journey: Journey;
  compare: boolean;
  onCompare: (on: boolean) => void;
  canEdit: boolean;
}) {
  const t = useT();
  const when = useDateTime();
  const s = journey.server;
  const [message, setMessage] = useState<string | null>(null);
  if (!s) return null;
  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setMessage(done);
    } catch (error) {
      setMessage((error as Error).message);
    }
  };
  return (
    <section className="panel versions-panel" aria-labelledby="versions-title">
      <h2 id="versions-title">{t('versions.title')}</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={compare}
          onChange={(e) => onCompare(e.target.checked)}
          disabled={!s.publishedYaml}
        />
        {t('versions.compare')}
      </label>
      {!s.publishedYaml && <p className="muted">{t('versions.nothingPublished')}</p>}
      <p role="status" aria-live="polite">
        {message}
      </p>
      {compare && s.publishedYaml && <YamlDiff before={s.publishedYaml} after={journey.text} />}
      {canEdit && (
        <button
          type="button"
          onClick={() => void act(async () => journey.saveVersion(), t('versions.savedDraft'))}
        >
          {t('toolbar.save')}
        </button>
      )}
      <ol className="versions" reversed>
        {s.versions.map((v) => (
          <li key={v.version} className={v.version === s.publishedVersion ? 'published' : ''}>
            <div>
              <strong>v{v.version}</strong>{' '}
              {v.version === s.publishedVersion && <span className="badge good">{t('versions.live')}</span>}
              {v.version === s.latestVersion && <span className="badge">{t('versions.latest')}</span>}
            </div>
            <div className="muted small">
              {when(v.createdAt)} · {v.createdBy ?? '—'} · {v.source ?? ''}
            </div>
            {v.message && <div className="small">{decode(v.message)}</div>}
            <div className="row">
              <button
                type="button"
                className="small"
                onClick={() =>
                  void act(() => journey.openVersion(v.version), t('versions.opened', { version: v.version }))
                }
              >
                {t('versions.open')}
              </button>
              {canEdit && v.version !== s.publishedVersion && (
                <button
                  type="button"
                  className="small"
                  onClick={() =>
                    void act(
                      () => journey.publish(v.version),
                      t('toolbar.publishedNotice', { version: v.version }),
                    )
                  }
                >
                  {s.publishedVersion && v.version < s.publishedVersion
                    ? t('versions.rollback')
                    : t('toolbar.publish')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
