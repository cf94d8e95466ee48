import { describe, expect, it } from 'vitest';
import { blankCustomer } from '../core/env.ts';
import { toTrigger } from '../triggers/registry.ts';
import type { Trigger, TriggerDef } from '../triggers/types.ts';
import { timeTriggerEvent as eventOf, occurrencesFor as occurrencesOf } from './time-trigger.ts';

// Cases are written as workflow files write triggers; the engine works with their model.
const model = (def: TriggerDef) => toTrigger(def) as Trigger;
const timeTriggerEvent = (def: TriggerDef) => eventOf(model(def));
const occurrencesFor = (
  def: TriggerDef,
  ...rest: Parameters<typeof occurrencesOf> extends [unknown, ...infer R] ? R : never
) => occurrencesOf(model(def), ...rest);

const customer = (fields: Record<string, unknown>) => ({
  ...blankCustomer('c', new Date('2025-03-10T23:30:00Z')),
  ...fields,
});
const ids = (...args: Parameters<typeof occurrencesFor>) => occurrencesFor(...args).map((o) => o.id);

describe('time triggers in journey tests', () => {
  it('names the event a test fires each time trigger with', () => {
    expect(timeTriggerEvent({ date: { attribute: 'birthday' } })).toBe('trigger.date');
    expect(timeTriggerEvent({ lunar: { month: 8, day: 15 } })).toBe('trigger.lunar');
    expect(timeTriggerEvent({ schedule: { cron: '0 9 * * 1' } })).toBe('trigger.schedule');
    expect(timeTriggerEvent({ event: 'order.placed' })).toBeNull();
  });

  it('reads anniversaries from the birthday, sign-up time (local) or a date attribute', () => {
    const at = new Date('2026-03-11T02:00:00Z'); // 10:00 in Shanghai
    const shanghai = { timezone: 'Asia/Shanghai' };
    const signup = { date: { attribute: 'createdAt', at: '09:00' } };
    // Signed up at 23:30 UTC on 10 March: 11 March in Shanghai.
    expect(ids(signup, customer(shanghai), at, 'UTC')).toEqual(['date:2026-03-11']);
    expect(ids(signup, customer({}), at, 'UTC')).toEqual([]);
    const renewal = { date: { attribute: 'renewal', at: '09:00' } };
    expect(ids(renewal, customer({ ...shanghai, attributes: { renewal: '2024-03-11' } }), at, 'UTC')).toEqual(
      ['date:2026-03-11'],
    );
    expect(ids(renewal, customer({ ...shanghai, attributes: { renewal: 'soon' } }), at, 'UTC')).toEqual([]);
    const birthday = { date: { attribute: 'birthday', at: '09:00' } };
    expect(ids(birthday, customer({ ...shanghai, birthday: '--03-11' }), at, 'UTC')).toEqual([
      'date:2026-03-11',
    ]);
    expect(ids(birthday, undefined, at, 'Asia/Shanghai')).toEqual([]);
  });

  it('reads a schedule in its fixed zone, whatever the customer’s', () => {
    const monday9 = { schedule: { cron: '0 9 * * 1', tz: 'Europe/London' } };
    const c = customer({ timezone: 'Asia/Shanghai' });
    expect(ids(monday9, c, new Date('2026-03-02T09:00:00Z'), 'UTC')).toEqual([
      'schedule:2026-03-02T09:00:00.000Z',
    ]);
    const local9 = { schedule: { cron: '0 9 * * 1', tz: 'customer' } };
    expect(ids(local9, c, new Date('2026-03-02T01:30:00Z'), 'UTC')).toEqual([
      'schedule:2026-03-02T01:00:00.000Z',
    ]);
  });
});
