import type { LifecycleConfig } from './config.ts';

/**
 * The largest order amount taken, either way (refunds may be negative). Far above any real
 * order, far below where sums of amounts stop being exact in a double (2^53 ≈ 9e15).
 */
export const MAX_ORDER_AMOUNT = 1e12;

/** A decimal in plain notation, as a string: what PostgreSQL's numeric reads and nothing more. */
const DECIMAL = /^-?\d{1,13}(\.\d{1,10})?$/;

/**
 * Why an event's order amount cannot be counted as revenue, or null when it can (or the event is
 * not an order). The amount (lifecycle.yaml `orders.amount`, a key of `data`) may be missing, null
 * or '' (no revenue), a finite number, or a decimal string; anything else — "NaN", 1e308,
 * booleans, objects — would turn every revenue figure of the customer into nonsense (NaN sums)
 * or fail the SQL that sums it.
 */
export function orderAmountProblem(
  orders: LifecycleConfig['orders'],
  event: { type: string; data?: Record<string, unknown> | undefined },
): string | null {
  if (event.type !== orders.event) return null;
  const value = event.data?.[orders.amount];
  const field = `data.${orders.amount}`;
  if (value === undefined || value === null || value === '') return null;
  const amount =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && DECIMAL.test(value)
        ? Number(value)
        : null;
  if (amount === null || !Number.isFinite(amount)) {
    return `${field} of ${orders.event} events must be a finite number (got ${JSON.stringify(value).slice(0, 40)})`;
  }
  if (Math.abs(amount) > MAX_ORDER_AMOUNT) {
    return `${field} of ${orders.event} events must be between -${MAX_ORDER_AMOUNT} and ${MAX_ORDER_AMOUNT} (got ${value})`;
  }
  return null;
}
