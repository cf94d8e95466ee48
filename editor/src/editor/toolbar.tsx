import { useT } from '../i18n/i18n.tsx';
import type { Issue } from '../model/issues.ts';
import { Link } from '../router.tsx';
import type { Journey } from './use-journey.ts';

export type Mode = 'edit' | 'preview' | 'live' | 'versions';
const MODES: Mode[] = ['edit', 'preview', 'live', 'versions'];

/** Title, status (published, draft, unsaved, valid), the modes, and the journey's actions. */
export function Toolbar(props: {
  journey: Journey;
  issues: Issue[];
  checking: boolean;
  mode: Mode;
  onMode: (m: Mode) => void;
  canEdit: boolean;
  yamlShown: boolean;
  /** The palette and the side panel (forms, preview, live), each of which can be folded away for room. */
  paletteShown: boolean;
  sideShown: boolean;
  onTogglePalette: () => void;
  onToggleSide: () => void;
  onToggleYaml: () => void;
  onFit: () => void;
  onRelayout: () => void;
  onSave: () => void;
  onPublish: () => void;
  onHelp: () => void;
}) {
  const t = useT();
  const { journey, issues, checking, mode, canEdit } = props;
  const s = journey.server;
  const busy = journey.save.kind === 'saving';
  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <div className="toolbar-title">
        <Link href="/" className="back">
          {t('toolbar.back')}
        </Link>
        <h1>{journey.def.name || journey.def.id || t('toolbar.untitled')}</h1>
        <span className="badge">
          {s?.publishedVersion
            ? t('toolbar.published', { version: s.publishedVersion })
            : t('list.unpublished')}
        </span>
        {s?.latestVersion && s.latestVersion !== s.publishedVersion && (
          <span className="badge">{t('list.draftVersion', { version: s.latestVersion })}</span>
        )}
        {journey.unsaved && (
          <span className="badge warn" data-testid="unsaved">
            {t('toolbar.unsaved')}
          </span>
        )}
        <span className={`badge ${issues.length ? 'bad' : 'good'}`} data-testid="validity" aria-live="polite">
          {checking
            ? t('toolbar.checking')
            : issues.length
              ? t('toolbar.problems', { count: issues.length })
              : t('toolbar.valid')}
        </span>
      </div>
      <div className="toolbar-modes">
        {MODES.map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            className={mode === m ? 'tab active' : 'tab'}
            onClick={() => props.onMode(m)}
          >
            {t(`mode.${m}`)}
          </button>
        ))}
      </div>
      <div className="toolbar-actions">
        {canEdit && mode === 'edit' && (
          <>
            <button type="button" onClick={journey.undo} disabled={!journey.canUndo} title="Ctrl+Z">
              {t('toolbar.undo')}
            </button>
            <button type="button" onClick={journey.redo} disabled={!journey.canRedo} title="Ctrl+Shift+Z">
              {t('toolbar.redo')}
            </button>
          </>
        )}
        <button type="button" onClick={props.onFit} title="F">
          {t('toolbar.fit')}
        </button>
        {canEdit && (
          <button type="button" onClick={props.onRelayout} title={t('toolbar.relayoutHelp')}>
            {t('toolbar.relayout')}
          </button>
        )}
        {canEdit && props.mode === 'edit' && (
          <button type="button" aria-pressed={props.paletteShown} onClick={props.onTogglePalette}>
            {t('toolbar.palette')}
          </button>
        )}
        <button type="button" aria-pressed={props.sideShown} onClick={props.onToggleSide}>
          {t('toolbar.side')}
        </button>
        <button type="button" aria-pressed={props.yamlShown} onClick={props.onToggleYaml}>
          {t('toolbar.yaml')}
        </button>
        <button type="button" onClick={props.onHelp} aria-label={t('help.title')}>
          ?
        </button>
        {canEdit && (
          <>
            <button type="button" onClick={props.onSave} disabled={busy} title="Ctrl+S">
              {busy ? t('toolbar.saving') : t('toolbar.save')}
            </button>
            <button type="button" className="primary" onClick={props.onPublish} disabled={busy}>
              {journey.unsaved ? t('toolbar.saveAndPublish') : t('toolbar.publish')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
