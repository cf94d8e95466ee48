import { type Localized, localize } from '@tend/plugin-sdk/editor';
import { useI18n, useT } from '../i18n/i18n.tsx';

/** An entry of `GET /api/customers/:id`'s timeline: the engine's (events, runs, messages) or a plugin's. */
export interface TimelineEntry {
  at: string;
  kind: string;
  type: string;
  summary?: Localized;
  detail: Record<string, unknown>;
}

const ENGINE_KINDS = ['event', 'run', 'message'] as const;

/** What an engine entry says in one line: a message's subject or channel, a run's journey. */
function engineSummary(e: TimelineEntry): string {
  const d = e.detail;
  const parts = [e.type];
  for (const key of ['subject', 'workflow', 'channel', 'reason', 'state', 'outcome']) {
    if (typeof d[key] === 'string' && d[key]) parts.push(String(d[key]));
  }
  return parts.join(' · ');
}

/** Everything that happened with a customer, newest first, in the viewer's zone and language. */
export function CustomerTimeline({ entries }: { entries: TimelineEntry[] }) {
  const t = useT();
  const { lang } = useI18n();
  if (entries.length === 0) return <p className="muted">{t('customer.noTimeline')}</p>;
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <ol className="timeline plain-list">
      {entries.map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id of their own, and the list is replaced whole
        <li key={`${e.at}-${e.kind}-${i}`}>
          <time dateTime={e.at} className="muted small">
            {dates.format(new Date(e.at))}
          </time>{' '}
          <span className="badge">
            {(ENGINE_KINDS as readonly string[]).includes(e.kind)
              ? t(`customer.kind.${e.kind}` as never)
              : e.kind}
          </span>{' '}
          {e.summary ? localize(e.summary, lang) : engineSummary(e)}
        </li>
      ))}
    </ol>
  );
}
