import { type Selectable, sql } from 'kysely';
import {
  CUSTOMER_COLUMNS,
  type CustomerRow,
  METRIC_COLUMNS,
  PREDICTION_COLUMNS,
  withMetrics,
} from './customers.ts';
import { anyOf, type Db } from './db.ts';
import { type StoredEvent, toStored } from './events.ts';
import { run, type Statement, statement } from './pipeline.ts';
import type { PersistedSnapshot, RunPosition, RunStatus } from './run-types.ts';
import type { RunsTable } from './schema.ts';

/** A run row as the runtime reads it and writes it back. */
export interface RunRow extends RunPosition {
  status: RunStatus;
  state: string;
  phase: string;
  step: number | null;
  outcome: string | null;
  /** Bumped by every write; a writer that read an older one lost a race and re-reads. */
  rev: number;
  /** The step job currently responsible for running this run's steps (null when none is due). */
  driver: string | null;
  /** Failed attempts of the current step so far (crashes do not count). */
  attempt: number;
}

export interface RunWrite {
  id: string;
  /** The revision the writer read; the write applies only if the row still has it. */
  rev: number;
  status: RunStatus;
  state: string;
  phase: string;
  step: number | null;
  awaiting: string | null;
  outcome: string | null;
  entry: number;
  driver: string | null;
  attempt: number;
  snapshot: PersistedSnapshot;
  updatedAt: Date;
}

export interface NewRun extends Omit<RunWrite, 'rev'> {
  workflowId: string;
  version: number;
  customerId: string;
  key: string | null;
  startedAt: Date;
}

const COLUMNS = [
  'id',
  'workflow_id',
  'version',
  'customer_id',
  'key',
  'status',
  'state',
  'phase',
  'step',
  'awaiting',
  'outcome',
  'entry',
  'rev',
  'driver',
  'attempt',
  'snapshot',
  'started_at',
] as const;

/** A customer's columns but the id, which the run carries (`customer_id`). */
const OWN_COLUMNS = CUSTOMER_COLUMNS.filter((c) => c !== 'id');

/** `m.orders` → `orders`: the names a joined column has in the row of a subquery. */
const unqualified = <T extends string>(columns: readonly T[]) =>
  columns.map((c) => c.slice(c.indexOf('.') + 1)) as (T extends `${string}.${infer N}` ? N : never)[];

/** What the loader reads of a run's customer (`withMetrics` without the id). */
const LOADED_CUSTOMER = [...OWN_COLUMNS, ...unqualified(METRIC_COLUMNS), ...unqualified(PREDICTION_COLUMNS)];

/** What a batch of transitions needs: the runs, their customers, and the inboxes of busy runs. */
export interface TransitionInput<Customer> {
  runs: Map<string, RunRow>;
  customers: Map<string, Customer>;
  inboxes: Map<string, StoredEvent[]>;
}

/**
 * Reads runs with their customers and (for runs busy with steps) their inbox, in one round trip.
 *
 * Each id is looked up on its own (LATERAL, kept apart by LIMIT 1), and so is its customer: the
 * plan stays a few index probes per run whatever the statistics say. Joined as sets, a batch of a
 * hundred runs was planned from statistics taken while the tables were a fraction of their size
 * (runs and customers grow by thousands a second in a bulk enrollment, faster than autovacuum
 * analyses them): PostgreSQL expected 4,000 runs, read the runs and the customers whole and
 * hashed them, 10 ms a batch and a fifth of its time in the engine benchmark.
 */
export async function loadForTransition<Customer>(
  db: Db,
  ids: string[],
  decode: (row: CustomerRow) => Customer,
): Promise<TransitionInput<Customer>> {
  const out: TransitionInput<Customer> = { runs: new Map(), customers: new Map(), inboxes: new Map() };
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom(sql<{ want: string }>`unnest(${ids}::uuid[])`.as('want'))
    .innerJoinLateral(
      (eb) => eb.selectFrom('runs').select(COLUMNS).whereRef('runs.id', '=', 'want.want').limit(1).as('r'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      () =>
        withMetrics(db, OWN_COLUMNS).where('c.id', '=', sql.ref<string>('r.customer_id')).limit(1).as('c'),
      (join) => join.onTrue(),
    )
    .select(COLUMNS.map((c) => `r.${c}` as const))
    // Named one by one: a `c.*` would keep the statement from being prepared (prepared-statements.ts).
    .select(LOADED_CUSTOMER.map((col) => `c.${col}` as const))
    .select(
      // The inbox's events by seq and month, a lookup each (LATERAL, kept apart by its LIMIT):
      // one partition read per event (run-time pruning), not every month's key.
      sql<StoredEvent[] | null>`CASE WHEN r.phase = 'steps' THEN (
        SELECT jsonb_agg(jsonb_build_object('seq', e.seq::text, 'id', e.id, 'customerId', e.customer_id,
                 'type', e.type, 'data', e.data, 'occurredAt', e.occurred_at, 'bucket', e.bucket::text)
                 ORDER BY e.seq)
        FROM run_inbox i CROSS JOIN LATERAL (SELECT * FROM events e
          WHERE e.seq = i.event_seq AND e.bucket = i.event_bucket LIMIT 1) e
        WHERE i.run_id = r.id) END`.as('inbox'),
    )
    .execute();
  for (const r of rows) {
    out.runs.set(r.id, toRow(r));
    if (r.created_at)
      out.customers.set(r.customer_id, decode({ ...(r as unknown as CustomerRow), id: r.customer_id }));
    if (r.inbox) out.inboxes.set(r.id, r.inbox);
  }
  return out;
}

/** The inboxes of these runs (events that came while they ran steps), oldest first. */
export async function inboxesOf(db: Db, ids: string[]): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('run_inbox as i')
    // By seq and month, a lookup each (as in the inbox above): one partition read per event.
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('events as e')
          .select(['e.seq', 'e.id', 'e.customer_id', 'e.type', 'e.data', 'e.occurred_at'])
          .select(sql<string>`e.bucket::text`.as('bucket'))
          .whereRef('e.seq', '=', 'i.event_seq')
          .whereRef('e.bucket', '=', 'i.event_bucket')
          .limit(1)
          .as('e'),
      (join) => join.onTrue(),
    )
    .select(['i.run_id', 'e.seq', 'e.id', 'e.customer_id', 'e.type', 'e.data', 'e.occurred_at', 'e.bucket'])
    .where('i.run_id', '=', anyOf(ids))
    .orderBy('e.seq')
    .execute();
  for (const r of rows) {
    const list = out.get(r.run_id) ?? [];
    list.push(toStored(r));
    out.set(r.run_id, list);
  }
  return out;
}

/** Locks the active runs of customers already locked by the caller (the dispatcher). */
export async function lockActiveRunsOf(db: Db, customerIds: string[]): Promise<RunRow[]> {
  return run(db, lockingActiveRunsOf(db, customerIds));
}

/** lockActiveRunsOf as a statement, to send with others (store/pipeline.ts). */
export function lockingActiveRunsOf(db: Db, customerIds: string[]): Statement<RunRow[]> {
  return statement(
    customerIds.length === 0
      ? null
      : db
          .selectFrom('runs')
          .select(COLUMNS)
          .where('customer_id', '=', anyOf(customerIds))
          .where('status', '=', 'active')
          .orderBy('id')
          .forUpdate()
          .compile(),
    (rows) => rows.map(toRow),
  );
}

/** The active runs of these customers whose steps one of these jobs drives. */
export async function runsDrivenBy(db: Db, customerIds: string[], jobIds: string[]): Promise<string[]> {
  if (customerIds.length === 0 || jobIds.length === 0) return [];
  const rows = await db
    .selectFrom('runs')
    .select('id')
    .where('customer_id', '=', anyOf(customerIds))
    .where('status', '=', 'active')
    .where('driver', '=', anyOf(jobIds))
    .execute();
  return rows.map((r) => r.id);
}

/** When each (workflow, key) last started a run for these customers: for `entry.reenter`. */
export async function lastStarts(
  db: Db,
  customerIds: string[],
  workflowIds: string[],
): Promise<Map<string, Date>> {
  if (workflowIds.length === 0) return new Map();
  return run(db, readingLastStarts(db, customerIds, workflowIds));
}

/**
 * lastStarts as a statement, to send with others (store/pipeline.ts). With `'published'`: for
 * every published journey, for a caller that does not know yet which ones it will ask about
 * (the dispatch of a few customers, before it has read their events): a lookup per journey and
 * customer, worth it for a few customers, where it saves a round trip.
 */
export function readingLastStarts(
  db: Db,
  customerIds: string[],
  workflowIds: string[] | 'published',
): Statement<Map<string, Date>> {
  const query =
    customerIds.length === 0
      ? null
      : db
          .selectFrom('runs')
          .select(['customer_id', 'workflow_id', 'key', (eb) => eb.fn.max('started_at').as('last')])
          .where('customer_id', '=', anyOf(customerIds))
          .where((eb) =>
            workflowIds === 'published'
              ? eb(
                  'workflow_id',
                  'in',
                  eb
                    .selectFrom('workflows')
                    .select('id')
                    .where('published_version', 'is not', null)
                    .where('archived_at', 'is', null),
                )
              : eb('workflow_id', '=', anyOf(workflowIds)),
          )
          .groupBy(['customer_id', 'workflow_id', 'key'])
          .compile();
  return statement(
    query,
    (rows) =>
      new Map(rows.map((r) => [runSlot(r.workflow_id, r.customer_id, r.key), new Date(r.last as Date)])),
  );
}

/** For admission of many customers to one workflow: their active slots and last starts. */
export async function slotsOf(
  db: Db,
  workflowId: string,
  customerIds: string[],
): Promise<{ active: Map<string, true>; lastStart: Map<string, Date> }> {
  const active = new Map<string, true>();
  const lastStart = new Map<string, Date>();
  if (customerIds.length === 0) return { active, lastStart };
  const rows = await sql<{ customer_id: string; key: string | null; last: Date; active: boolean }>`
    SELECT customer_id, key, max(started_at) AS last, bool_or(status = 'active') AS active
    FROM runs WHERE workflow_id = ${workflowId} AND customer_id = ANY(${customerIds}::text[])
    GROUP BY customer_id, key`.execute(db);
  for (const r of rows.rows) {
    const slot = runSlot(workflowId, r.customer_id, r.key);
    lastStart.set(slot, new Date(r.last));
    if (r.active) active.set(slot, true);
  }
  return { active, lastStart };
}

/** The one-active-run identity: workflow, customer and (when the trigger has one) key. */
export const runSlot = (workflowId: string, customerId: string, key: string | null) =>
  `${workflowId}\u0000${customerId}\u0000${key ?? ''}`;

/** A runs row as the runtime works with it (camelCase, the snapshot typed). */
function toRow(r: Pick<Selectable<RunsTable>, (typeof COLUMNS)[number]>): RunRow {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    version: r.version,
    customerId: r.customer_id,
    key: r.key,
    status: r.status as RunStatus,
    state: r.state,
    phase: r.phase,
    step: r.step,
    awaiting: r.awaiting,
    outcome: r.outcome,
    entry: r.entry,
    rev: r.rev,
    driver: r.driver,
    attempt: r.attempt,
    snapshot: r.snapshot,
    startedAt: r.started_at.toISOString(),
  };
}
