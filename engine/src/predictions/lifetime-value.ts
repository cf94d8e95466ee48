import { type BgNbdParams, expectedPurchases, type History, type Variant } from './bg-nbd.ts';

/** How far ahead a lifetime value looks, and how future money is discounted. */
export interface ValueHorizon {
  /** Months counted (12: the value of the next year). */
  months: number;
  /** Yearly discount rate (0.1: money a year away is worth 1/1.1 of money now). */
  yearlyDiscount: number;
  /** Days in the unit the histories are measured in per month (30.4375 when they are in days). */
  unitsPerMonth: number;
}

export const DEFAULT_HORIZON: ValueHorizon = { months: 12, yearlyDiscount: 0.1, unitsPerMonth: 30.4375 };

/**
 * The predicted lifetime value over the horizon: each month's expected purchases (the growth of
 * E[Y(t)] over the month) times the expected order value, discounted to today at the end of
 * its month. Pure.
 */
export function lifetimeValue(
  params: BgNbdParams,
  h: History,
  orderValue: number,
  horizon: ValueHorizon = DEFAULT_HORIZON,
  variant: Variant = 'bg',
): number {
  const monthly = (1 + horizon.yearlyDiscount) ** (1 / 12);
  let before = 0;
  let value = 0;
  for (let m = 1; m <= horizon.months; m++) {
    const upTo = expectedPurchases(params, h, m * horizon.unitsPerMonth, variant);
    value += ((upTo - before) * orderValue) / monthly ** m;
    before = upTo;
  }
  return value;
}
