import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { inTransaction } from '../queue/boss.ts';
import { type DispatchJob, QUEUES } from '../queue/queues.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import { insertMissingCustomers } from './customers.ts';
import type { Db } from './db.ts';
import { markWaiting } from './event-dispatch.ts';
import { type InsertedEvent, type NewEvent, storedEvents, toInserted } from './events.ts';
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
 * a write is in flight goes into the next one together (GroupCommit), so under load one commit
 * carries many requests. A write is one statement in its own transaction (customers, events and
 * their waiting marks), so a request is answered after one round trip to PostgreSQL once its
 * events are committed. A process that runs workers then dispatches them itself, at once
 * (`dispatchNow`, workers/inline-dispatch.ts); otherwise, or when it has enough dispatches in
 * flight, the dispatch job naming their customers is written just after, off the answer's path
 * and also grouped. Should the process die before either, the events are still marked waiting
 * and the sweeper dispatches them (workers/sweeper.ts, "lost" events).
 */
export function groupedIngest(
  db: Db,
  boss: PgBoss,
  now: () => Date,
  onQueueError: (error: unknown) => void,
  /** Dispatches these customers' events in this process; false: queue a dispatch job. */
  dispatchNow: (customers: string[]) => boolean = () => false,
): GroupedIngest {
  const jobs = new GroupCommit<string[], void>(async (groups) => {
    await queueDispatch(boss, db, [...new Set(groups.flat())]);
    return groups.map(() => undefined);
  });
  const group = new GroupCommit<NewEvent[], IngestResult>(async (requests) => {
    const stored = await insertAndMarkWaiting(db, requests.flat(), now());
    if (stored.length > 0) {
      const customers = [...new Set(stored.map((s) => s.customerId))];
      if (!dispatchNow(customers)) jobs.submit(customers).catch(onQueueError);
    }
    const fresh = new Set(stored.map(eventKey));
    // An event sent twice in one group is new for the first request that sent it only.
    return requests.map((rows) => {
      const accepted = rows.filter((r) => fresh.delete(eventKey(r))).length;
      return { accepted, duplicates: rows.length - accepted, ids: rows.map((r) => r.id) };
    });
  });
  return {
    ingest: (events) => group.submit(toRows(events, now())),
    async settled() {
      await group.idle();
      await jobs.idle();
    },
  };
}

export interface GroupedIngest {
  ingest(events: IncomingEvent[]): Promise<IngestResult>;
  /** Resolves once every accepted request is written and its dispatch job too: for a graceful stop. */
  settled(): Promise<void>;
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
  const stored = await insertAndMarkWaiting(trx, rows, now);
  await queueDispatch(boss, trx, [...new Set(stored.map((s) => s.customerId))]);
  return stored;
}

/**
 * One statement: creates the unknown customers, stores the events that are new and marks them
 * waiting for dispatch. One round trip instead of three; each table's SQL stays in its module.
 */
async function insertAndMarkWaiting(db: Db, rows: NewEvent[], now: Date): Promise<InsertedEvent[]> {
  if (rows.length === 0) return [];
  const customers = [...new Set(rows.map((r) => r.customerId))];
  const result = await sql<{ seq: string; id: string; customer_id: string; bucket: string }>`
    WITH new_customers AS (${insertMissingCustomers(customers, now)}),
    ${storedEvents(rows, now)},
    waiting AS (${markWaiting('stored')})
    SELECT seq, id, customer_id, bucket FROM stored`.execute(db);
  return result.rows.map(toInserted);
}

/**
 * Dispatch jobs for these customers, a hundred to a job, written through `db` (a transaction, or
 * the engine's pool, whose repeated statements are prepared: pg-boss's insert is a big statement
 * to plan anew each time on its own pool).
 */
export async function queueDispatch(boss: PgBoss, db: Db, customers: string[]): Promise<void> {
  const jobs: { data: DispatchJob }[] = [];
  for (let i = 0; i < customers.length; i += CUSTOMERS_PER_JOB) {
    jobs.push({ data: { customers: customers.slice(i, i + CUSTOMERS_PER_JOB) } });
  }
  if (jobs.length === 0) return;
  await boss.insert(QUEUES.dispatch, jobs, { db: inTransaction(db) });
}
