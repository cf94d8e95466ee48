import { csvLine } from '@tend/plugin-sdk';
import type { CustomerView } from './types.ts';

/** The columns of a customers export, in order (README documents them). */
export const EXPORT_HEADER = [
  'id',
  'name',
  'email',
  'phone',
  'birthday',
  'timezone',
  'locale',
  'owner',
  'stage',
  'rfm_segment',
  'abc',
  'orders',
  'revenue',
  'last_order_at',
  'tags',
  'email_consent',
  'sms_consent',
  'created_at',
] as const;

/** One customer as a line of the export. */
export function exportLine(c: CustomerView): string {
  return csvLine([
    c.id,
    c.name,
    c.email,
    c.phone,
    c.birthday,
    c.timezone,
    c.locale,
    c.owner,
    c.stage,
    c.rfm?.segment ?? null,
    c.rfm?.abc ?? null,
    c.rfm?.orders ?? 0,
    c.rfm?.revenue ?? 0,
    c.rfm?.lastOrderAt ?? null,
    c.tags.join(' '),
    c.consent.email?.status ?? null,
    c.consent.sms?.status ?? null,
    c.createdAt,
  ]);
}
