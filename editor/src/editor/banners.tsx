import { useDateTime, useT } from '../i18n/i18n.tsx';
import { type Issue, nodeOfIssue } from '../model/issues.ts';
import type { Journey } from './use-journey.ts';

/** Restored drafts, save results, refused edits and the list of problems, above the canvas. */
export function Banners({
  journey,
  notice,
  onDismissNotice,
  validationFailed,
  issues,
  onPick,
}: {
  journey: Journey;
  notice: string | null;
  onDismissNotice: () => void;
  validationFailed: string | null;
  issues: Issue[];
  onPick: (node: string | null) => void;
}) {
  const t = useT();
  const when = useDateTime();
  const { restored, save, server } = journey;
  return (
    <div className="banners">
      {restored && (
        <div className="banner info" role="status">
          {t('draft.restored', { time: when(restored.savedAt) })}
          {restored.baseVersion !== server?.latestVersion &&
            ` ${t('draft.newer', { version: server?.latestVersion ?? '?' })}`}
          <button type="button" className="small" onClick={journey.dismissRestored}>
            {t('draft.keep')}
          </button>
          <button type="button" className="small danger" onClick={journey.discardLocal}>
            {t('draft.discard')}
          </button>
        </div>
      )}
      {journey.storageFailed && (
        <div className="banner bad" role="alert">
          {t('draft.storageFailed')}
        </div>
      )}
      <div aria-live="polite" role="status" className="live-region">
        {save.kind === 'saved' && (
          <div className="banner good">
            {save.created
              ? t('save.saved', { version: save.version })
              : t('save.same', { version: save.version })}
          </div>
        )}
        {notice && (
          <div className="banner info">
            {notice}
            <button type="button" className="small" onClick={onDismissNotice}>
              {t('common.dismiss')}
            </button>
          </div>
        )}
      </div>
      {save.kind === 'failed' && (
        <div className="banner bad" role="alert" data-testid="save-error">
          {t('save.failed', { message: save.message })} {t('save.kept')}
        </div>
      )}
      {validationFailed && (
        <div className="banner bad" role="alert">
          {t('validation.unreachable', { message: validationFailed })}
        </div>
      )}
      {issues.length > 0 && (
        <details className="problems">
          <summary>{t('toolbar.problems', { count: issues.length })}</summary>
          <ul>
            {issues.map((i) => (
              <li key={`${i.path}:${i.line}:${i.column}:${i.message}`}>
                <button type="button" className="link-button" onClick={() => onPick(nodeOfIssue(i))}>
                  {t('problems.at', { line: i.line, column: i.column })}
                </button>{' '}
                {i.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
