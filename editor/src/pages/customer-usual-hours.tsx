import { useT } from '../i18n/i18n.tsx';

/** Opens, clicks and orders by local hour (0–23) in the customer's zone, from the profile. */
export interface UsualHours {
  zone: string;
  counts: number[];
}

/** The hours a customer most often engages at: where a best-time wait lands for them. */
export function CustomerUsualHours({ hours }: { hours: UsualHours }) {
  const t = useT();
  const total = hours.counts.reduce((a, b) => a + b, 0);
  const top = hours.counts
    .map((n, hour) => ({ hour, n }))
    .filter((h) => h.n > 0)
    .sort((a, b) => b.n - a.n || a.hour - b.hour)
    .slice(0, 3);
  const list = top.map((h) => `${String(h.hour).padStart(2, '0')}:00 (${h.n})`).join(', ');
  return (
    <section aria-labelledby="usual-hours-title" data-testid="usual-hours">
      <h2 id="usual-hours-title">{t('customer.usualHours')}</h2>
      <p>
        {total > 0
          ? t('customer.usualHoursText', { hours: list, zone: hours.zone, n: total })
          : t('customer.usualHoursNone')}
      </p>
    </section>
  );
}
