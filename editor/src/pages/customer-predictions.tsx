import type { CustomerPredicted } from '@tend/plugin-sdk';
import { useI18n, useT } from '../i18n/i18n.tsx';
import { useEditorHost } from '../plugins/editor-host.ts';

/** What the nightly purchase model predicts of a customer: churn, next orders, value. */
export function CustomerPredictions({ predicted }: { predicted: CustomerPredicted | null | undefined }) {
  const t = useT();
  const { lang } = useI18n();
  const host = useEditorHost();
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  return (
    <section aria-labelledby="predicted-title">
      <h2 id="predicted-title">{t('profile.predicted')}</h2>
      {predicted ? (
        <dl className="props">
          <div className="prop-row">
            <dt>{t('profile.churn')}</dt>
            <dd>{percent.format(predicted.churn)}</dd>
          </div>
          <div className="prop-row">
            <dt>{t('profile.orders90d')}</dt>
            <dd>{number.format(predicted.orders90d)}</dd>
          </div>
          <div className="prop-row">
            <dt>{t('profile.predictedValue')}</dt>
            <dd>{money.format(predicted.value)}</dd>
          </div>
          <div className="prop-row">
            <dt>{t('profile.predictedAt')}</dt>
            <dd>{host.formatDateTime(predicted.at)}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">{t('profile.noPrediction')}</p>
      )}
    </section>
  );
}
