import type { PgBoss } from 'pg-boss';
import { inTransaction } from '../queue/boss.ts';
import { type DispatchJob, QUEUES } from '../queue/queues.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import { ensureCustomers } from './customers.ts';
import type { Db } from './db.ts';
import { enqueueDispatch } from './event-dispatch.ts';
import { insertEvents, type NewEvent } from './events.ts';

export interface IncomingEvent {
  id?: string;
  customerId: string;
  type: string;
  data?: Record<string, unknown>;
  occurredAt?: Date;
}

/** Customers per dispatch job: big enough to batch, small enough to spread over processes. */
const CUSTOMERS_PER_JOB = 100;

/**
 * Stores events (idempotent by id; unknown customers are created) and queues their dispatch, in
 * one transaction: an accepted event is never lost, and a repeated one is not applied twice.
 */
export async function ingestEvents(
  db: Db,
  boss: PgBoss,
  events: IncomingEvent[],
  now: Date,
): Promise<{ accepted: number; duplicates: number; ids: string[] }> {
  const rows = toRows(events, now);
  const inserted = await db.transaction().execute((trx) => storeEvents(trx, boss, rows, now));
  return { accepted: inserted, duplicates: rows.length - inserted, ids: rows.map((r) => r.id) };
}

export function toRows(events: IncomingEvent[], now: Date): NewEvent[] {
  return events.map((e) => ({
    id: e.id ?? timeOrderedId(now.getTime()),
    customerId: e.customerId,
    type: e.type,
    data: e.data ?? {},
    occurredAt: e.occurredAt ?? now,
  }));
}

/**
 * Inside the caller's transaction: store events (received `now`, the engine's time) and queue
 * their dispatch. Returns how many were new.
 */
export async function storeEvents(trx: Db, boss: PgBoss, rows: NewEvent[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  await ensureCustomers(trx, [...new Set(rows.map((r) => r.customerId))], now);
  const stored = await insertEvents(trx, rows, now);
  await enqueueDispatch(trx, stored);
  const customers = [...new Set(stored.map((s) => s.customerId))];
  const jobs: { data: DispatchJob }[] = [];
  for (let i = 0; i < customers.length; i += CUSTOMERS_PER_JOB) {
    jobs.push({ data: { customers: customers.slice(i, i + CUSTOMERS_PER_JOB) } });
  }
  if (jobs.length > 0) await boss.insert(QUEUES.dispatch, jobs, { db: inTransaction(trx) });
  return stored.length;
}
