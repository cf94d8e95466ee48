import { describe, expect, it } from 'vitest';
import { checkCel, evaluateCel, evaluateCondition } from './cel.ts';

const scope = {
  customer: { id: 'c1', attributes: { country: 'CN', spend: 120 }, tags: ['vip'] },
  event: { type: 'order.placed', data: { amount: 30, cartId: 'k-9' } },
  run: { vars: {}, steps: {} },
  now: new Date('2026-05-01T10:00:00Z'),
};

describe('CEL', () => {
  it('accepts expressions over the four variables', () => {
    expect(checkCel('customer.attributes.country == "CN" && event.data.amount > 10')).toEqual({
      ok: true,
    });
    expect(checkCel('now + duration("72h") > now')).toEqual({ ok: true });
  });

  it('locates parse errors and unknown variables', () => {
    const bad = checkCel('customer.attributes.spend >');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.offset).toBeGreaterThan(20);
    const unknown = checkCel('custmer.tags.size() > 0');
    expect(unknown).toMatchObject({ ok: false, message: expect.stringMatching(/custmer/) });
  });

  it('evaluates conditions with numbers from JSON against CEL integers', () => {
    expect(evaluateCondition('event.data.amount <= 30', scope).result).toBe(true);
    expect(evaluateCondition('"vip" in customer.tags', scope).result).toBe(true);
  });

  it('counts a missing attribute as false and says why', () => {
    const r = evaluateCondition('customer.attributes.birthday == "x"', scope);
    expect(r.result).toBe(false);
    expect(r.reason).toMatch(/No such key: birthday/);
  });

  it('counts a non-boolean condition as false', () => {
    expect(evaluateCondition('event.data.amount', scope)).toMatchObject({ result: false });
  });

  it('returns plain numbers and strings', () => {
    expect(evaluateCel('event.data.cartId', scope)).toEqual({ ok: true, value: 'k-9' });
    expect(evaluateCel('1 + 2', scope)).toEqual({ ok: true, value: 3 });
  });
});
