import { useEffect, useState } from 'react';
import { withSession } from '../api/client.ts';
import { useI18n, useT } from '../i18n/i18n.tsx';
import { CustomerStageBadge } from '../pages/stage-badge.tsx';
import { Link } from '../router.tsx';

interface Preview {
  matched: number;
  scanned: number;
  customers: { id: string; name: string | null; email: string | null; stage: string | null }[];
}

/** How long typing may pause before the base is counted again. */
const SETTLE_MS = 500;

/**
 * The members a condition would have now, counted by the engine over the whole base as it is
 * being edited (a pause in typing starts a count), with a few of them to open.
 */
export function SegmentPreview({ definition }: { definition: string | null }) {
  const t = useT();
  const { lang } = useI18n();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [counting, setCounting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (definition === null) return;
    const ask = new AbortController();
    const timer = setTimeout(async () => {
      setCounting(true);
      try {
        const res = await withSession('/api/segments/preview', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ definition, limit: 10 }),
          signal: ask.signal,
        });
        const body = (await res.json()) as Preview & { error?: { message: string } };
        if (!res.ok) {
          setProblem(body.error?.message ?? String(res.status));
          setPreview(null);
        } else {
          setProblem(null);
          setPreview(body);
        }
        setCounting(false);
      } catch {
        // Aborted: a newer condition is being counted.
      }
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      ask.abort();
    };
  }, [definition]);
  const number = new Intl.NumberFormat(lang);
  return (
    <section className="segment-preview" aria-label={t('segments.live')} aria-busy={counting}>
      <h2>{t('segments.live')}</h2>
      {problem && <p className="error">{problem}</p>}
      {preview && (
        <p className={counting ? 'muted' : undefined} data-testid="segment-count">
          <strong className="big-number">{number.format(preview.matched)}</strong>{' '}
          {t('segments.scanned', { scanned: number.format(preview.scanned) })}
        </p>
      )}
      <p role="status" className="muted small">
        {counting ? t('segments.counting') : ''}
      </p>
      {preview && preview.customers.length === 0 && <p className="muted">{t('segments.noSample')}</p>}
      {preview && preview.customers.length > 0 && (
        <>
          <h3>{t('segments.sample')}</h3>
          <ul className="plain-list">
            {preview.customers.map((c) => (
              <li key={c.id}>
                <Link href={`/customers/${encodeURIComponent(c.id)}`}>{c.name ?? c.id}</Link>{' '}
                <CustomerStageBadge stage={c.stage} />
                {c.email && <div className="muted small">{c.email}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
