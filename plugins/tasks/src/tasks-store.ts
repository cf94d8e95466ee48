import { type Insertable, type Kysely, type Selectable, sql } from '@tend/plugin-sdk';

/** The tasks plugin's tables (schema plugin_tasks). */
export interface TasksDatabase {
  /** Follow-up tasks; title and note are ciphertexts: they often name the customer. */
  tasks: {
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
  };
}

export type TaskRow = Selectable<TasksDatabase['tasks']>;
type Db = Kysely<TasksDatabase>;

/** Creates a task once per key; returns the stored one and whether it is new. */
export async function createTask(
  db: Db,
  row: Omit<Insertable<TasksDatabase['tasks']>, 'status'>,
): Promise<{ row: TaskRow; created: boolean }> {
  const inserted = await db
    .insertInto('tasks')
    .values({ ...row, status: 'open' })
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const stored = await db
    .selectFrom('tasks')
    .selectAll()
    .where('key', '=', row.key)
    .executeTakeFirstOrThrow();
  return { row: stored, created: false };
}

export async function getTask(db: Db, id: string): Promise<TaskRow | null> {
  return (await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export interface TaskFilter {
  assignee?: string;
  customer?: string;
  status?: string;
  limit: number;
}

export async function listTasks(db: Db, f: TaskFilter): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .$if(f.assignee !== undefined, (q) => q.where('assignee', '=', f.assignee as string))
    .$if(f.customer !== undefined, (q) => q.where('customer_id', '=', f.customer as string))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as string))
    .orderBy('due_at')
    .orderBy('id')
    .limit(f.limit)
    .execute();
}

/** A customer's tasks, newest first. */
export async function tasksOf(db: Db, customerId: string, limit: number): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
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
  return row ?? null;
}

/**
 * Hands out open tasks past due that were not reminded yet, marking them reminded in the same
 * statement; SKIP LOCKED lets several processes share the sweep without doubles.
 */
export async function claimOverdueTasks(db: Db, now: Date, limit: number): Promise<TaskRow[]> {
  const due = db
    .selectFrom('tasks')
    .select('id')
    .where('status', '=', 'open')
    .where('reminded_at', 'is', null)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return db.updateTable('tasks').set({ reminded_at: now }).where('id', 'in', due).returningAll().execute();
}

/**
 * An erased person's tasks: assignee, due date, status and completion stay (staff workload).
 * Title and note are written about the person (often from the profile): the note goes, the
 * title (never null) becomes the erased text, encrypted like any title. An open task is closed
 * with the outcome "erased" (nobody should call an erased person, nor be reminded to); a done
 * task's outcome is staff's free text: cleared.
 */
export async function eraseTasks(
  db: Db,
  from: string,
  to: string,
  erasedTitle: Buffer,
  at: Date,
): Promise<void> {
  await db
    .updateTable('tasks')
    .set({
      customer_id: to,
      title_enc: erasedTitle,
      note_enc: null,
      outcome: sql<string | null>`CASE WHEN status = 'open' THEN 'erased' ELSE NULL END`,
      completed_at: sql<Date | null>`CASE WHEN status = 'open' THEN ${at}::timestamptz ELSE completed_at END`,
      status: 'done',
    })
    .where('customer_id', '=', from)
    .execute();
}

/** Frozen migrations of schema plugin_tasks. */
export const MIGRATIONS = [
  {
    name: '2026-12-05-01-tasks',
    /**
     * The tasks the previous release kept in the engine's schema (public.tasks) move here whole,
     * with their indexes; a new installation gets a new table, indexed alike.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        DO $$ BEGIN
          IF to_regclass('public.tasks') IS NOT NULL THEN
            EXECUTE format('ALTER TABLE public.tasks SET SCHEMA %I', current_schema());
          ELSE
            CREATE TABLE tasks (
              id uuid PRIMARY KEY,
              key text NOT NULL UNIQUE,
              customer_id text NOT NULL,
              assignee text NOT NULL,
              title_enc bytea NOT NULL,
              note_enc bytea,
              status text NOT NULL DEFAULT 'open',
              due_at timestamptz NOT NULL,
              created_at timestamptz NOT NULL,
              completed_at timestamptz,
              completed_by text,
              outcome text,
              workflow_id text,
              run_id uuid,
              reminded_at timestamptz
            );
            CREATE INDEX tasks_assignee ON tasks (assignee, status, due_at);
            CREATE INDEX tasks_overdue ON tasks (due_at) WHERE status = 'open' AND reminded_at IS NULL;
            CREATE INDEX tasks_customer ON tasks (customer_id, created_at DESC);
          END IF;
        END $$;
      `.execute(db);
    },
  },
];
