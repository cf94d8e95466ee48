import { sql } from 'kysely';
import type { Db } from './db.ts';

/** A tasks row as stored (title and note are ciphertexts: they often name the customer). */
export interface TaskRow {
  id: string;
  key: string;
  customer_id: string;
  assignee: string;
  title_enc: Buffer;
  note_enc: Buffer | null;
  status: string;
  due_at: Date;
  created_at: Date;
  completed_at: Date | null;
  completed_by: string | null;
  outcome: string | null;
  workflow_id: string | null;
  run_id: string | null;
  reminded_at: Date | null;
}

/** Creates a task once per key; returns the stored one and whether it is new. */
export async function createTask(
  db: Db,
  row: Omit<TaskRow, 'status' | 'completed_at' | 'completed_by' | 'outcome' | 'reminded_at'>,
): Promise<{ row: TaskRow; created: boolean }> {
  const inserted = await db
    .insertInto('tasks')
    .values(row)
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted as TaskRow, created: true };
  const stored = await db
    .selectFrom('tasks')
    .selectAll()
    .where('key', '=', row.key)
    .executeTakeFirstOrThrow();
  return { row: stored as TaskRow, created: false };
}

export async function getTask(db: Db, id: string): Promise<TaskRow | null> {
  const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return (row as TaskRow | undefined) ?? null;
}

export interface TaskFilter {
  assignee?: string;
  customer?: string;
  status?: string;
  limit: number;
}

export async function listTasks(db: Db, f: TaskFilter): Promise<TaskRow[]> {
  const rows = await db
    .selectFrom('tasks')
    .selectAll()
    .$if(f.assignee !== undefined, (q) => q.where('assignee', '=', f.assignee as string))
    .$if(f.customer !== undefined, (q) => q.where('customer_id', '=', f.customer as string))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as string))
    .orderBy('due_at')
    .orderBy('id')
    .limit(f.limit)
    .execute();
  return rows as TaskRow[];
}

/** Completes an open task; null when it was done already (completing twice changes nothing). */
export async function completeTask(
  db: Db,
  id: string,
  by: string,
  outcome: string | null,
  at: Date,
): Promise<TaskRow | null> {
  const row = await db
    .updateTable('tasks')
    .set({ status: 'done', completed_at: at, completed_by: by, outcome })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
  return (row as TaskRow | undefined) ?? null;
}

/**
 * Hands out open tasks past due that were not reminded yet, marking them reminded in the same
 * statement; SKIP LOCKED lets several processes share the sweep without doubles.
 */
export async function claimOverdueTasks(db: Db, now: Date, limit: number): Promise<TaskRow[]> {
  const r = await sql<TaskRow>`
    UPDATE tasks SET reminded_at = ${now}
    WHERE id IN (
      SELECT id FROM tasks
      WHERE status = 'open' AND reminded_at IS NULL AND due_at <= ${now}
      ORDER BY due_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return r.rows;
}
