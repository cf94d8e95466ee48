import { useState } from 'react';
import { withSession } from '../api/client.ts';
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

/** Who the preview is about, as the render route takes it. */
export type PreviewCustomer = { customerId: string } | { customer: Record<string, unknown> };

/** Where the previewed customer went, and what each step would have sent (messages rendered). */
export function PreviewResult({ run, customer }: { run: PreviewRun; customer: PreviewCustomer }) {
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
            {s.uses === 'messaging.send' && typeof s.config.template === 'string' && (
              <RenderedMessage config={s.config} customer={customer} />
            )}
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

interface Rendered {
  subject?: string;
  html?: string;
  text?: string;
  locale: string;
}

/** A message step's template as this customer would get it, rendered by the engine when opened. */
function RenderedMessage({
  config,
  customer,
}: {
  config: Record<string, unknown>;
  customer: PreviewCustomer;
}) {
  const t = useT();
  const [shown, setShown] = useState<Rendered | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = async () => {
    const res = await withSession('/api/outbox/render', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: config.channel,
        template: config.template,
        ...(config.data && typeof config.data === 'object' ? { data: config.data } : {}),
        ...customer,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as Rendered & { error?: { message?: string } };
    if (res.ok) setShown(body);
    else setProblem(body.error?.message ?? String(res.status));
  };
  return (
    <details
      className="rendered-message"
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open && !shown && !problem) void load();
      }}
    >
      <summary>{t('preview.message')}</summary>
      {problem && <p className="error">{problem}</p>}
      {shown?.subject && (
        <p>
          <strong>{t('preview.subject')}</strong> {shown.subject}
        </p>
      )}
      {shown?.html ? (
        // sandbox="": no script, no forms, no navigation, as in the outbox.
        <iframe title={t('preview.message')} sandbox="" srcDoc={shown.html} className="message-frame" />
      ) : (
        shown?.text && <pre className="message-text">{shown.text}</pre>
      )}
    </details>
  );
}
