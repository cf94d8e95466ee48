import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE } from './config.ts';
import { orderAmountProblem } from './order-amount.ts';

const order = (amount: unknown) =>
  orderAmountProblem(DEFAULT_LIFECYCLE.orders, { type: 'order.placed', data: { amount } });

describe('orderAmountProblem', () => {
  it('takes finite amounts within the bound, decimal strings, and no amount at all', () => {
    for (const ok of [0, 128.4, -20, 1e12, '19.99', '-5', '', null, undefined])
      expect(order(ok), String(ok)).toBeNull();
    expect(orderAmountProblem(DEFAULT_LIFECYCLE.orders, { type: 'order.placed' })).toBeNull();
  });

  it('refuses non-finite, huge and non-numeric amounts, naming the field', () => {
    expect(order('NaN')).toBe('data.amount of order.placed events must be a finite number (got "NaN")');
    for (const bad of [
      'Infinity',
      '-Infinity',
      '1e308',
      '0x10',
      ' 5',
      true,
      {},
      [1],
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ])
      expect(order(bad), String(bad)).toMatch(/^data\.amount .* must be a finite number/);
    expect(order(1e308)).toMatch(/must be between -1000000000000 and 1000000000000 \(got 1e\+308\)/);
    expect(order(-2e12)).toMatch(/must be between/);
  });

  it('leaves other events alone, and follows the configured field', () => {
    expect(
      orderAmountProblem(DEFAULT_LIFECYCLE.orders, { type: 'page.viewed', data: { amount: 'NaN' } }),
    ).toBeNull();
    const custom = { event: 'purchase', amount: 'total' };
    expect(orderAmountProblem(custom, { type: 'purchase', data: { total: 'lots' } })).toMatch(
      /^data\.total of purchase events/,
    );
  });
});
