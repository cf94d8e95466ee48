import { useDateTime, useT } from '../i18n/i18n.tsx';

export interface PreviewRun {
  status: string;
  state: string;
  outcome: string | null;
  path: string[];
  vars: Record<string, unknown>;
  ran: {
    at: string;
    state: string;
    label: string;
    uses: string;
    config: Record<string, unknown>;
    summary: string;
  }[];
  history: {
    at: string;
    type: string;
    state: string | null;
    step: string | null;
    detail: Record<string, string> | null;
  }[];
}

/** Where the previewed customer went, and what each step would have sent. */
export function PreviewResult({ run }: { run: PreviewRun }) {
  const t = useT();
  const when = useDateTime();
  return (
    <div className="preview-result" data-testid="preview-result">
      <p>
        <strong>{t(`run.status.${run.status}` as never)}</strong>
        {run.status === 'active'
          ? ` · ${t('preview.now', { state: run.state })}`
          : run.outcome
            ? ` · ${t('preview.outcome', { outcome: run.outcome })}`
            : ''}
      </p>
      <p>
        {t('preview.path')}: <span data-testid="preview-path">{run.path.join(' → ')}</span>
      </p>
      <h3>{t('preview.sent')}</h3>
      {run.ran.length === 0 && <p className="muted">{t('preview.nothingSent')}</p>}
      <ol className="sent">
        {run.ran.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is the order steps ran
          <li key={i}>
            <div>
              <strong>{s.summary}</strong>{' '}
              <span className="muted small">
                {when(s.at)} · {s.state}
              </span>
            </div>
            <details>
              <summary>{t('preview.config', { step: s.label })}</summary>
              <pre>{JSON.stringify(s.config, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
      {Object.keys(run.vars).length > 0 && (
        <details>
          <summary>{t('preview.vars')}</summary>
          <pre>{JSON.stringify(run.vars, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}
