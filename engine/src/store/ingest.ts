import type { PgBoss } from 'pg-boss';
import { inTransaction } from '../queue/boss.ts';
import { type DispatchJob, QUEUES } from '../queue/queues.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import { ensureCustomers } from './customers.ts';
import type { Db } from './db.ts';
import { enqueueDispatch } from './event-dispatch.ts';
import { insertEvents, type NewEvent } from './events.ts';
import { GroupCommit } from './group-commit.ts';

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
 * Stores events (idempotent by id per customer; unknown customers are created) and queues their dispatch, in
 * one transaction: an accepted event is never lost, and a repeated one is not applied twice.
 */
export async function ingestEvents(
  db: Db,
  boss: PgBoss,
  events: IncomingEvent[],
  now: Date,
): Promise<IngestResult> {
  const rows = toRows(events, now);
  const inserted = await db.transaction().execute((trx) => storeEvents(trx, boss, rows, now));
  return { accepted: inserted, duplicates: rows.length - inserted, ids: rows.map((r) => r.id) };
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  ids: string[];
}

/** An event's identity: its id is unique per customer. */
const eventKey = (e: { id: string; customerId: string }) => `${e.customerId}\u0000${e.id}`;

/**
 * Ingest for many small concurrent requests (one event per `POST /api/events`): what arrives while
 * a transaction is being written goes into the next one together (GroupCommit), so under load one
 * commit carries many requests. Each request is answered only once its events are committed.
 */
export function groupedIngest(db: Db, boss: PgBoss, now: () => Date) {
  const group = new GroupCommit<NewEvent[], IngestResult>(async (requests) => {
    const at = now();
    const stored = await db.transaction().execute((trx) => storeEventRows(trx, boss, requests.flat(), at));
    const fresh = new Set(stored.map(eventKey));
    // An event sent twice in one group is new for the first request that sent it only.
    return requests.map((rows) => {
      const accepted = rows.filter((r) => fresh.delete(eventKey(r))).length;
      return { accepted, duplicates: rows.length - accepted, ids: rows.map((r) => r.id) };
    });
  });
  return (events: IncomingEvent[]): Promise<IngestResult> => group.submit(toRows(events, now()));
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
  return (await storeEventRows(trx, boss, rows, now)).length;
}

/** storeEvents, answering the events that were new. */
async function storeEventRows(
  trx: Db,
  boss: PgBoss,
  rows: NewEvent[],
  now: Date,
): Promise<{ id: string; customerId: string }[]> {
  if (rows.length === 0) return [];
  await ensureCustomers(trx, [...new Set(rows.map((r) => r.customerId))], now);
  const stored = await insertEvents(trx, rows, now);
  await enqueueDispatch(trx, stored);
  const customers = [...new Set(stored.map((s) => s.customerId))];
  const jobs: { data: DispatchJob }[] = [];
  for (let i = 0; i < customers.length; i += CUSTOMERS_PER_JOB) {
    jobs.push({ data: { customers: customers.slice(i, i + CUSTOMERS_PER_JOB) } });
  }
  if (jobs.length > 0) await boss.insert(QUEUES.dispatch, jobs, { db: inTransaction(trx) });
  return stored;
}
