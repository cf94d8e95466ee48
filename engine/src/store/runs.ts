import { sql } from 'kysely';
import type { PersistedSnapshot, RunPosition, RunStatus } from '../runtime/types.ts';
import type { Db } from './db.ts';

/** A run row as the runtime reads it (locked) and writes it back. */
export interface RunRow extends RunPosition {
  status: RunStatus;
  state: string;
  phase: string;
  step: number | null;
  outcome: string | null;
}

export interface RunWrite {
  id: string;
  status: RunStatus;
  state: string;
  phase: string;
  step: number | null;
  awaiting: string | null;
  outcome: string | null;
  entry: number;
  snapshot: PersistedSnapshot;
  updatedAt: Date;
}

export interface NewRun extends RunWrite {
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
  'snapshot',
  'started_at',
] as const;

/** Locks runs (in id order, so lockers never deadlock) and reads them. */
export async function lockRuns(db: Db, ids: string[]): Promise<Map<string, RunRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('runs')
    .select(COLUMNS)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, toRow(r)]));
}

/** Reads runs without locking (to decide what work is still current before doing it). */
export async function loadRuns(db: Db, ids: string[]): Promise<Map<string, RunRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('runs').select(COLUMNS).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, toRow(r)]));
}

/** Locks the active runs of customers already locked by the caller. */
export async function lockActiveRunsOf(db: Db, customerIds: string[]): Promise<RunRow[]> {
  if (customerIds.length === 0) return [];
  const rows = await db
    .selectFrom('runs')
    .select(COLUMNS)
    .where('customer_id', 'in', customerIds)
    .where('status', '=', 'active')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toRow);
}

export async function insertRuns(db: Db, runs: NewRun[]): Promise<void> {
  if (runs.length === 0) return;
  await db
    .insertInto('runs')
    .values(
      runs.map((r) => ({
        id: r.id,
        workflow_id: r.workflowId,
        version: r.version,
        customer_id: r.customerId,
        key: r.key,
        status: r.status,
        state: r.state,
        phase: r.phase,
        step: r.step,
        awaiting: r.awaiting,
        outcome: r.outcome,
        entry: r.entry,
        snapshot: JSON.stringify(r.snapshot),
        started_at: r.startedAt,
        updated_at: r.updatedAt,
        ended_at: r.status === 'active' ? null : r.updatedAt,
      })),
    )
    .execute();
}

/** Writes back many runs in one statement. */
export async function updateRuns(db: Db, runs: RunWrite[]): Promise<void> {
  if (runs.length === 0) return;
  const payload = JSON.stringify(
    runs.map((r) => ({ ...r, snapshot: r.snapshot, updatedAt: r.updatedAt.toISOString() })),
  );
  await sql`
    UPDATE runs AS r SET
      status = v.status, state = v.state, phase = v.phase, step = v.step, awaiting = v.awaiting,
      outcome = v.outcome,
      entry = v.entry, snapshot = v.snapshot, updated_at = v."updatedAt",
      ended_at = CASE WHEN v.status = 'active' THEN NULL ELSE v."updatedAt" END
    FROM jsonb_to_recordset(${payload}::jsonb) AS v(
      id uuid, status text, state text, phase text, step int, awaiting text, outcome text, entry int,
      snapshot jsonb, "updatedAt" timestamptz)
    WHERE r.id = v.id`.execute(db);
}

/** When each (workflow, key) last started a run for these customers: for `entry.reenter`. */
export async function lastStarts(
  db: Db,
  customerIds: string[],
  workflowIds: string[],
): Promise<Map<string, Date>> {
  if (customerIds.length === 0 || workflowIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('runs')
    .select(['customer_id', 'workflow_id', 'key', (eb) => eb.fn.max('started_at').as('last')])
    .where('customer_id', 'in', customerIds)
    .where('workflow_id', 'in', workflowIds)
    .groupBy(['customer_id', 'workflow_id', 'key'])
    .execute();
  return new Map(rows.map((r) => [runSlot(r.workflow_id, r.customer_id, r.key), new Date(r.last as Date)]));
}

/** The one-active-run identity: workflow, customer and (when the trigger has one) key. */
export const runSlot = (workflowId: string, customerId: string, key: string | null) =>
  `${workflowId}\u0000${customerId}\u0000${key ?? ''}`;

export interface RunFilter {
  workflow?: string;
  customer?: string;
  status?: string;
  state?: string;
  limit: number;
  before?: string;
}

export async function listRuns(db: Db, f: RunFilter) {
  return db
    .selectFrom('runs')
    .select([
      'id',
      'workflow_id',
      'version',
      'customer_id',
      'key',
      'status',
      'state',
      'phase',
      'outcome',
      'started_at',
      'updated_at',
      'ended_at',
    ])
    .$if(f.workflow !== undefined, (q) => q.where('workflow_id', '=', f.workflow as string))
    .$if(f.customer !== undefined, (q) => q.where('customer_id', '=', f.customer as string))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as string))
    .$if(f.state !== undefined, (q) => q.where('state', '=', f.state as string))
    .$if(f.before !== undefined, (q) => q.where('started_at', '<', new Date(f.before as string)))
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(f.limit)
    .execute();
}

export async function getRun(db: Db, id: string) {
  return db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Run counts by status, for tests, the benchmark and the live view. */
export async function countRuns(db: Db, workflowId?: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('runs')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .$if(workflowId !== undefined, (q) => q.where('workflow_id', '=', workflowId as string))
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

function toRow(r: {
  id: string;
  workflow_id: string;
  version: number;
  customer_id: string;
  key: string | null;
  status: string;
  state: string;
  phase: string;
  step: number | null;
  awaiting: string | null;
  outcome: string | null;
  entry: number;
  snapshot: unknown;
  started_at: Date;
}): RunRow {
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
    snapshot: r.snapshot as PersistedSnapshot,
    startedAt: r.started_at.toISOString(),
  };
}
