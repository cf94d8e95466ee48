import type { CustomerPredicted, CustomerRfm } from '@tend/plugin-sdk';
import { RFM_SEGMENTS as SDK_RFM_SEGMENTS } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import { useSession } from '../api/session.tsx';
import { useI18n, useT } from '../i18n/i18n.tsx';
import { useEditorHost } from '../plugins/editor-host.ts';
import { ConsentTable } from './customer-consent.tsx';
import { CustomerPredictions } from './customer-predictions.tsx';
import { ProfileEditDialog } from './customer-profile-edit.tsx';
import { CustomerStageBadge } from './stage-badge.tsx';

/** What `GET /api/customers/:id` answers (the parts the profile shows). */
export interface Profile {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  birthday: string | null;
  timezone: string | null;
  locale: string | null;
  owner: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  segments: string[];
  consent: Record<string, { status: string; source?: string; at?: string }>;
  stage: string | null;
  createdAt: string;
  rfm: CustomerRfm | null;
  predicted?: CustomerPredicted | null;
}

/** The named RFM segments, best first (the SDK's list). */
export const RFM_SEGMENTS: readonly string[] = SDK_RFM_SEGMENTS;

/** A customer's profile as a person reads it: contact, consent, stage and value, tags; editable. */
export function CustomerProfile({ profile, onChanged }: { profile: Profile; onChanged: () => void }) {
  const t = useT();
  const { lang } = useI18n();
  const { canEdit } = useSession();
  const host = useEditorHost();
  const [editing, setEditing] = useState(false);
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const p = profile;
  const rfm = p.rfm;
  const row = (label: string, value: React.ReactNode) => (
    <div className="prop-row">
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </div>
  );
  return (
    <>
      <div className="profile-grid">
        <section aria-labelledby="contact-title">
          <h2 id="contact-title">{t('profile.contact')}</h2>
          <dl className="props">
            {row(t('profile.email'), p.email)}
            {row(t('profile.phone'), p.phone)}
            {row(t('profile.birthday'), p.birthday)}
            {row(t('customer.timezone'), p.timezone)}
            {row(t('profile.locale'), p.locale)}
            {row(t('profile.owner'), p.owner)}
            {row(t('profile.createdAt'), host.formatDateTime(p.createdAt))}
          </dl>
          {canEdit && (
            <button type="button" onClick={() => setEditing(true)}>
              {t('profile.edit')}
            </button>
          )}
        </section>
        <section aria-labelledby="value-title">
          <h2 id="value-title">{t('profile.value')}</h2>
          <dl className="props">
            {row(t('profile.stage'), <CustomerStageBadge stage={p.stage} />)}
            {rfm ? (
              <>
                {row(
                  t('profile.segment'),
                  rfm.segment
                    ? RFM_SEGMENTS.includes(rfm.segment)
                      ? t(`rfm.${rfm.segment}` as never)
                      : rfm.segment
                    : null,
                )}
                {row(
                  t('profile.rfm'),
                  rfm.score
                    ? t('profile.rfmScores', { r: rfm.r ?? '', f: rfm.f ?? '', m: rfm.m ?? '' })
                    : null,
                )}
                {row(t('profile.abc'), rfm.abc)}
                {row(t('profile.orders'), number.format(rfm.orders))}
                {row(t('profile.revenue'), number.format(rfm.revenue))}
                {row(t('profile.revenue365'), number.format(rfm.revenue365))}
                {row(
                  t('profile.lastOrder'),
                  rfm.lastOrderAt
                    ? `${host.formatDateTime(rfm.lastOrderAt)} (${t('profile.daysAgo', { days: rfm.recencyDays ?? 0 })})`
                    : null,
                )}
              </>
            ) : (
              row(t('profile.orders'), <span className="muted">{t('profile.noOrders')}</span>)
            )}
          </dl>
        </section>
        <CustomerPredictions predicted={p.predicted} />
        <section aria-labelledby="consent-title" className="full-row">
          <h2 id="consent-title">{t('profile.consent')}</h2>
          <ConsentTable id={p.id} consent={p.consent} onChanged={onChanged} />
        </section>
        <section aria-labelledby="tags-title">
          <h2 id="tags-title">{t('profile.tagsSegments')}</h2>
          <dl className="props">
            {row(
              t('customer.tags'),
              p.tags.length > 0
                ? p.tags.map((tag) => (
                    <span key={tag} className="badge">
                      {tag}
                    </span>
                  ))
                : null,
            )}
            {row(
              t('profile.segments'),
              p.segments.length > 0
                ? p.segments.map((s) => (
                    <span key={s} className="badge">
                      {s}
                    </span>
                  ))
                : null,
            )}
            {Object.entries(p.attributes).map(([k, v]) => (
              <div key={k} className="prop-row">
                <dt>{k}</dt>
                <dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
      {editing && (
        <ProfileEditDialog
          profile={p}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      )}
    </>
  );
}
