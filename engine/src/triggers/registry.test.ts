import { describe, expect, it } from 'vitest';
import {
  catchesUp,
  describeTrigger,
  documentKinds,
  fixedZone,
  kindMismatch,
  moduleOf,
  startingEvent,
  TRIGGER_KIND_MODULES,
  toTrigger,
} from './registry.ts';
import { TRIGGER_KINDS, type Trigger, type TriggerDef } from './types.ts';

const model = (def: TriggerDef) => toTrigger(def) as Trigger;

describe('trigger kinds', () => {
  it('has one module per kind the YAML knows', () => {
    expect(Object.keys(TRIGGER_KIND_MODULES).sort()).toEqual([...TRIGGER_KINDS].sort());
    for (const kind of TRIGGER_KINDS) expect(TRIGGER_KIND_MODULES[kind].kind).toBe(kind);
  });

  it('builds the tagged model from a document with exactly one kind, keeping the filter and key', () => {
    expect(
      toTrigger({ event: 'order.placed', where: 'event.data.amount > 1', key: 'event.data.id' }),
    ).toEqual({
      kind: 'event',
      event: 'order.placed',
      where: 'event.data.amount > 1',
      key: 'event.data.id',
    });
    expect(toTrigger({ lunar: { month: 8, day: 15 } })).toEqual({
      kind: 'lunar',
      lunar: { month: 8, day: 15 },
    });
    expect(toTrigger({})).toBeNull();
    expect(toTrigger({ event: 'a', stage: 'b' })).toBeNull();
    expect(documentKinds({ event: 'a', stage: 'b' })).toEqual(['event', 'stage']);
  });

  it('starts event, stage and segment triggers on events, each by its own rule', () => {
    expect(startingEvent(model({ event: 'order.placed' }))).toBe('order.placed');
    expect(startingEvent(model({ stage: 'at_risk' }))).toBe('customer.stage_changed');
    expect(startingEvent(model({ segment: 'vip' }))).toBe('segment.entered');
    expect(startingEvent(model({ schedule: { cron: '0 9 * * 1' } }))).toBeNull();
    expect(kindMismatch(model({ stage: 'at_risk' }), { to: 'at_risk' })).toBeNull();
    expect(kindMismatch(model({ stage: 'at_risk' }), { to: 'active' })).toBe(
      'it moved the customer to "active", not "at_risk"',
    );
    expect(kindMismatch(model({ segment: 'vip' }), { segment: 'new' })).toBe(
      'it was about segment "new", not "vip"',
    );
    expect(kindMismatch(model({ event: 'x' }), {})).toBeNull();
  });

  it('fires time triggers in a fixed zone or each customer’s; only schedules catch up', () => {
    expect(fixedZone(model({ schedule: { cron: '0 9 * * 1', tz: 'Asia/Shanghai' } }))).toBe('Asia/Shanghai');
    expect(fixedZone(model({ schedule: { cron: '0 9 * * 1', tz: 'customer' } }))).toBeNull();
    expect(fixedZone(model({ date: { attribute: 'birthday' } }))).toBeNull();
    expect(catchesUp(model({ schedule: { cron: '0 9 * * 1' } }))).toBe(true);
    expect(catchesUp(model({ lunar: { month: 1, day: 1 } }))).toBe(false);
    expect(catchesUp(model({ event: 'x' }))).toBe(false);
  });

  it('checks what the schema cannot, at a path inside the trigger', () => {
    const check = (def: TriggerDef) => {
      const t = model(def);
      return moduleOf(t).check(t);
    };
    expect(check({ event: 'tend.run.started' })).toEqual([
      { path: ['event'], message: 'event types starting with "tend." are Tend\'s own' },
    ]);
    expect(check({ schedule: { cron: '0 9 * * 1', tz: 'Mars/Base' } })[0]?.path).toEqual(['schedule', 'tz']);
    expect(check({ date: { attribute: 'birthday', offset: '-7x' } })[0]?.path).toEqual(['date', 'offset']);
    expect(check({ date: { attribute: 'birthday', offset: '-7d' } })).toEqual([]);
    expect(TRIGGER_KINDS.filter((k) => TRIGGER_KIND_MODULES[k].repeats)).toEqual([
      'schedule',
      'date',
      'lunar',
    ]);
  });

  it('says in words what starts a journey', () => {
    expect(describeTrigger(model({ event: 'order.placed', where: 'event.data.amount > 100' }))).toBe(
      'a order.placed event where event.data.amount > 100',
    );
    expect(describeTrigger(model({ stage: 'at_risk' }))).toBe('the customer reaching the "at_risk" stage');
    expect(describeTrigger(model({ date: { attribute: 'birthday', offset: '-7d' } }))).toBe(
      'the date in "birthday" -7d',
    );
    expect(describeTrigger(model({ schedule: { cron: '0 9 * * 1' } }))).toBe('the schedule "0 9 * * 1"');
  });
});
