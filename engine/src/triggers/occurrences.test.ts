import { chineseDate } from '@tend/plugin-sdk/time';
import { describe, expect, it } from 'vitest';
import { dueOccurrences as dueAll, dueOccurrence as dueOne } from './occurrences.ts';
import { toTrigger } from './registry.ts';
import type { Trigger, TriggerDef } from './types.ts';

// The cases are written as workflow files write triggers; the engine works with their model.
const model = (def: TriggerDef) => toTrigger(def) as Trigger;
const dueOccurrence = (def: TriggerDef, zone: string, now: Date) => dueOne(model(def), zone, now);
const dueOccurrences = (
  def: TriggerDef,
  zone: string,
  now: Date,
  notBefore: Date | null,
  lastDone: Date | null,
) => dueAll(model(def), zone, now, notBefore, lastDone);

const birthday = { date: { attribute: 'birthday', at: '09:00' } };

describe('time trigger occurrences', () => {
  it('fires a birthday at 09:00 local in each zone, not before', () => {
    // 2027-04-23 09:00 in Shanghai is 01:00 UTC; in New York it is 13:00 UTC.
    expect(dueOccurrence(birthday, 'Asia/Shanghai', new Date('2027-04-23T00:59:00Z'))).toBeNull();
    expect(dueOccurrence(birthday, 'Asia/Shanghai', new Date('2027-04-23T01:00:00Z'))).toEqual({
      id: 'date:2027-04-23',
      audience: { kind: 'anniversary', attribute: 'birthday', monthDays: [423] },
    });
    expect(dueOccurrence(birthday, 'America/New_York', new Date('2027-04-23T12:59:00Z'))).toBeNull();
    expect(dueOccurrence(birthday, 'America/New_York', new Date('2027-04-23T13:00:00Z'))?.id).toBe(
      'date:2027-04-23',
    );
  });

  it('celebrates 29 February birthdays on 28 February in common years only', () => {
    expect(dueOccurrence(birthday, 'UTC', new Date('2027-02-28T10:00:00Z'))?.audience).toEqual({
      kind: 'anniversary',
      attribute: 'birthday',
      monthDays: [228, 229],
    });
    expect(dueOccurrence(birthday, 'UTC', new Date('2028-02-28T10:00:00Z'))?.audience).toMatchObject({
      monthDays: [228],
    });
    expect(dueOccurrence(birthday, 'UTC', new Date('2028-02-29T10:00:00Z'))?.audience).toMatchObject({
      monthDays: [229],
    });
  });

  it('applies an offset: a week before the date', () => {
    const t = { date: { attribute: 'renewal', at: '08:00', offset: '-7d' } };
    expect(dueOccurrence(t, 'UTC', new Date('2027-03-01T08:00:00Z'))?.audience).toMatchObject({
      monthDays: [308],
    });
  });

  it('finds Mid-Autumn (8/15) on 2026-09-25 and 2027-09-15', () => {
    const t = { lunar: { month: 8, day: 15, at: '10:00' } };
    expect(dueOccurrence(t, 'Asia/Shanghai', new Date('2026-09-25T02:00:00Z'))?.id).toBe('lunar:2026-09-25');
    expect(dueOccurrence(t, 'Asia/Shanghai', new Date('2026-09-24T02:00:00Z'))).toBeNull();
    expect(dueOccurrence(t, 'Asia/Shanghai', new Date('2027-09-15T02:00:00Z'))?.id).toBe('lunar:2027-09-15');
    expect(dueOccurrence(t, 'Asia/Shanghai', new Date('2027-09-15T01:59:00Z'))).toBeNull();
  });

  it('knows the festivals and leap months', () => {
    expect(chineseDate(new Date('2026-02-17T04:00:00Z'), 'Asia/Shanghai')).toEqual({
      month: 1,
      day: 1,
      leap: false,
    });
    expect(chineseDate(new Date('2026-06-19T04:00:00Z'), 'Asia/Shanghai')).toEqual({
      month: 5,
      day: 5,
      leap: false,
    });
    expect(chineseDate(new Date('2025-07-25T04:00:00Z'), 'Asia/Shanghai')).toEqual({
      month: 6,
      day: 1,
      leap: true,
    });
    const leap = { lunar: { month: 6, day: 1, leap: true } };
    expect(dueOccurrence(leap, 'Asia/Shanghai', new Date('2025-07-25T04:00:00Z'))?.id).toBe(
      'lunar:2025-07-25',
    );
    expect(
      dueOccurrence({ lunar: { month: 6, day: 1 } }, 'Asia/Shanghai', new Date('2025-07-25T04:00:00Z')),
    ).toBeNull();
  });

  it('fires a schedule at its cron times, in the zone, within a grace, not before publishing', () => {
    const t = { schedule: { cron: '0 9 * * 1', tz: 'customer' } };
    const ids = (at: string, notBefore: string | null = null, lastDone: string | null = null) =>
      dueOccurrences(
        t,
        'Asia/Shanghai',
        new Date(at),
        notBefore ? new Date(notBefore) : null,
        lastDone ? new Date(lastDone) : null,
      ).map((o) => o.id);
    // Monday 2026-03-02 09:00 in Shanghai = 01:00 UTC.
    expect(ids('2026-03-02T00:59:59Z')).toEqual([]);
    expect(ids('2026-03-02T01:00:00Z')).toEqual(['schedule:2026-03-02T01:00:00.000Z']);
    expect(ids('2026-03-02T06:00:00Z')).toEqual(['schedule:2026-03-02T01:00:00.000Z']);
    expect(ids('2026-03-02T08:00:00Z')).toEqual([]);
    expect(ids('2026-03-02T02:00:00Z', '2026-03-02T01:30:00Z')).toEqual([]);
    expect(ids('2026-03-02T02:00:00Z', null, '2026-03-02T01:00:00Z')).toEqual([]);
  });

  it('catches up the occurrences missed while no engine ran, oldest first', () => {
    const t = { schedule: { cron: '*/10 * * * *', tz: 'UTC' } };
    const due = dueOccurrences(
      t,
      'UTC',
      new Date('2026-03-02T01:35:00Z'),
      null,
      new Date('2026-03-02T01:00:00Z'),
    );
    expect(due.map((o) => o.id)).toEqual([
      'schedule:2026-03-02T01:10:00.000Z',
      'schedule:2026-03-02T01:20:00.000Z',
      'schedule:2026-03-02T01:30:00.000Z',
    ]);
  });
});
