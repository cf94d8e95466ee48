import { localParts } from '@tend/plugin-sdk/time';
import { normalizeBirthday } from '../customers/normalize.ts';
import type { CustomerView } from '../customers/types.ts';
import { dueOccurrences, isTimeTrigger, type Occurrence } from '../triggers/occurrences.ts';
import { fixedZone } from '../triggers/registry.ts';
import type { Trigger } from '../triggers/types.ts';

/**
 * The event type a journey test writes to say a time trigger's sweep came round:
 * `trigger.schedule`, `trigger.date` or `trigger.lunar` — the type the runtime records as the
 * trigger of the runs it starts. Null for triggers that start on real events.
 */
export function timeTriggerEvent(trigger: Trigger): string | null {
  return isTimeTrigger(trigger) ? `trigger.${trigger.kind}` : null;
}

/**
 * The occurrences the sweep would fire for this customer at `now`, decided by the production
 * code (`triggers/occurrences.ts`), so a test that fires a trigger on the wrong day or before its
 * time of day starts nothing — as in production.
 */
export function occurrencesFor(
  trigger: Trigger,
  customer: CustomerView | undefined,
  now: Date,
  defaultZone: string,
): Occurrence[] {
  const own = customer?.timezone ?? defaultZone;
  const zone = fixedZone(trigger) ?? own;
  return dueOccurrences(trigger, zone, now, null, null).filter((o) => {
    if (o.audience.kind === 'all') return true;
    const md = monthDay(customer, o.audience.attribute, zone);
    return md !== null && o.audience.monthDays.includes(md);
  });
}

/** The month*100+day of a customer's date attribute, read as the store's scan reads it. */
function monthDay(customer: CustomerView | undefined, attribute: string, zone: string): number | null {
  if (!customer) return null;
  if (attribute === 'birthday')
    return customer.birthday ? (normalizeBirthday(customer.birthday)?.monthDay ?? null) : null;
  if (attribute === 'createdAt') {
    const local = localParts(new Date(customer.createdAt), zone);
    return local.month * 100 + local.day;
  }
  const value = customer.attributes[attribute];
  const m = typeof value === 'string' ? /^\d{4}-(\d{2})-(\d{2})/.exec(value) : null;
  return m ? Number(m[1]) * 100 + Number(m[2]) : null;
}
