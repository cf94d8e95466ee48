import { type Generated, type Insertable, type Kysely, type Selectable, sql } from '@tend/plugin-sdk';

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
    /** What the person who completed it wrote (ciphertext). */
    completion_note_enc: Generated<Buffer | null>;
  };
  /** Each snooze, reassignment and completion of a task, with who and why. */
  task_changes: {
    id: Generated<string>;
    task_id: string;
    customer_id: string;
    at: Date;
    by: string;
    kind: TaskChangeKind;
    from_value: string | null;
    to_value: string | null;
    /** The reason given (ciphertext): it may name the customer. */
    reason_enc: Buffer | null;
  };
  digests: DigestsTable;
  /** Follow-ups on record (回访): a call, visit or message, its outcome, and the next one planned. */
  followups: {
    id: string;
    customer_id: string;
    by: string;
    channel: FollowupChannel;
    outcome: string;
    /** What was said (ciphertext). */
    note_enc: Buffer | null;
    at: Date;
    /** The task made for the next follow-up, when one was planned. */
    next_task_id: string | null;
  };
}

export type FollowupChannel = 'call' | 'visit' | 'message';
export type FollowupRow = Selectable<TasksDatabase['followups']>;

/** Which person got the digest of which day (the claim that makes it one a day). */
export interface DigestsTable {
  assignee: string;
  day: string;
  at: Date;
}

export type TaskChangeKind = 'snoozed' | 'reassigned' | 'completed';
export type TaskChangeRow = Selectable<TasksDatabase['task_changes']>;

export type TaskRow = Selectable<TasksDatabase['tasks']>;
type Db = Kysely<TasksDatabase>;

/** `column IN (values)`, false for no values (SQL has no empty IN list). */
const anyOf = (column: 'assignee', values: string[]) =>
  values.length > 0 ? sql<boolean>`${sql.ref(column)} = ANY(${values}::text[])` : sql<boolean>`false`;

/** Creates a task once per key and customer; returns the stored one and whether it is new. */
export async function createTask(
  db: Db,
  row: Omit<Insertable<TasksDatabase['tasks']>, 'status'>,
): Promise<{ row: TaskRow; created: boolean }> {
  const inserted = await db
    .insertInto('tasks')
    .values({ ...row, status: 'open' })
    .onConflict((oc) => oc.columns(['key', 'customer_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const stored = await db
    .selectFrom('tasks')
    .selectAll()
    .where('key', '=', row.key)
    .where('customer_id', '=', row.customer_id)
    .executeTakeFirstOrThrow();
  return { row: stored, created: false };
}

export async function getTask(db: Db, id: string): Promise<TaskRow | null> {
  return (await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Open tasks by when they are due: before now, before the end of the viewer's day, later. */
export type DueBucket = 'overdue' | 'today' | 'upcoming';

export interface TaskFilter {
  /** Any of these assignees (a person's id and email both stand for them). */
  assignees?: string[];
  customer?: string;
  status?: 'open' | 'done';
  due?: { bucket: DueBucket; now: Date; endOfDay: Date };
  /** The last task of the previous page: open tasks go by due date, done ones newest first. */
  after?: { at: Date; id: string };
  limit: number;
}

export async function listTasks(db: Db, f: TaskFilter): Promise<TaskRow[]> {
  const done = f.status === 'done';
  const at = done ? 'completed_at' : 'due_at';
  return db
    .selectFrom('tasks')
    .selectAll()
    .$if(f.assignees !== undefined, (q) => q.where(anyOf('assignee', f.assignees as string[])))
    .$if(f.customer !== undefined, (q) => q.where('customer_id', '=', f.customer as string))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as string))
    .$if(f.due !== undefined, (q) => {
      const due = f.due as NonNullable<TaskFilter['due']>;
      const open = q.where('status', '=', 'open');
      if (due.bucket === 'overdue') return open.where('due_at', '<', due.now);
      if (due.bucket === 'today')
        return open.where('due_at', '>=', due.now).where('due_at', '<', due.endOfDay);
      return open.where('due_at', '>=', due.endOfDay);
    })
    .$if(f.after !== undefined, (q) => {
      const after = f.after as NonNullable<TaskFilter['after']>;
      return q.where(
        sql<boolean>`(${sql.ref(at)}, id) ${sql.raw(done ? '<' : '>')} (${after.at}, ${after.id}::uuid)`,
      );
    })
    .orderBy(at, done ? 'desc' : 'asc')
    .orderBy('id', done ? 'desc' : 'asc')
    .limit(f.limit)
    .execute();
}

/** How many of someone's tasks are overdue, due today, upcoming and done. */
export async function countTasks(
  db: Db,
  f: { assignees?: string[]; customer?: string; now: Date; endOfDay: Date },
): Promise<Record<DueBucket | 'done', number>> {
  const row = await db
    .selectFrom('tasks')
    .select([
      sql<number>`count(*) FILTER (WHERE status = 'open' AND due_at < ${f.now})::int`.as('overdue'),
      sql<number>`count(*) FILTER (WHERE status = 'open' AND due_at >= ${f.now} AND due_at < ${f.endOfDay})::int`.as(
        'today',
      ),
      sql<number>`count(*) FILTER (WHERE status = 'open' AND due_at >= ${f.endOfDay})::int`.as('upcoming'),
      sql<number>`count(*) FILTER (WHERE status = 'done')::int`.as('done'),
    ])
    .$if(f.assignees !== undefined, (q) => q.where(anyOf('assignee', f.assignees as string[])))
    .$if(f.customer !== undefined, (q) => q.where('customer_id', '=', f.customer as string))
    .executeTakeFirstOrThrow();
  return row;
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
  change: { by: string; outcome: string | null; note: Buffer | null; at: Date },
): Promise<TaskRow | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('tasks')
      .set({
        status: 'done',
        completed_at: change.at,
        completed_by: change.by,
        outcome: change.outcome,
        completion_note_enc: change.note,
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;
    await recordChange(trx, row, {
      ...change,
      kind: 'completed',
      from: null,
      to: change.outcome,
      reason: null,
    });
    return row;
  });
}

/**
 * Moves an open task's due date (snooze) or gives it to someone else (reassign), recording who,
 * when and why; it is reminded again when it falls overdue. Null when the task is not open.
 */
export async function changeTask(
  db: Db,
  id: string,
  change: { kind: 'snoozed'; dueAt: Date } | { kind: 'reassigned'; assignee: string },
  by: { by: string; at: Date; reason: Buffer | null },
): Promise<{ task: TaskRow; change: TaskChangeRow } | null> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'open')
      .forUpdate()
      .executeTakeFirst();
    if (!before) return null;
    const task = await trx
      .updateTable('tasks')
      .set(
        change.kind === 'snoozed'
          ? { due_at: change.dueAt, reminded_at: null }
          : { assignee: change.assignee, reminded_at: null },
      )
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const [from, to] =
      change.kind === 'snoozed'
        ? [before.due_at.toISOString(), change.dueAt.toISOString()]
        : [before.assignee, change.assignee];
    const recorded = await recordChange(trx, task, { ...by, kind: change.kind, from, to });
    return { task, change: recorded };
  });
}

async function recordChange(
  trx: Db,
  task: TaskRow,
  c: {
    kind: TaskChangeKind;
    by: string;
    at: Date;
    from: string | null;
    to: string | null;
    reason: Buffer | null;
  },
): Promise<TaskChangeRow> {
  return trx
    .insertInto('task_changes')
    .values({
      task_id: task.id,
      customer_id: task.customer_id,
      at: c.at,
      by: c.by,
      kind: c.kind,
      from_value: c.from,
      to_value: c.to,
      reason_enc: c.reason,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A task's changes, oldest first. */
export async function changesOf(db: Db, taskId: string): Promise<TaskChangeRow[]> {
  return db.selectFrom('task_changes').selectAll().where('task_id', '=', taskId).orderBy('id').execute();
}

/** People with open tasks due before `until` (overdue or due today), and their tasks, soonest first. */
export async function openTasksDueBefore(db: Db, until: Date, limit: number): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('status', '=', 'open')
    .where('due_at', '<', until)
    .orderBy('assignee')
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

/** Claims a person's digest of a day; false when someone (another process) claimed it already. */
export async function claimDigest(db: Db, assignee: string, day: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('digests')
    .values({ assignee, day, at })
    .onConflict((oc) => oc.columns(['assignee', 'day']).doNothing())
    .returning('assignee')
    .executeTakeFirst();
  return row !== undefined;
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
      completion_note_enc: null,
      outcome: sql<string | null>`CASE WHEN status = 'open' THEN 'erased' ELSE NULL END`,
      completed_at: sql<Date | null>`CASE WHEN status = 'open' THEN ${at}::timestamptz ELSE completed_at END`,
      status: 'done',
    })
    .where('customer_id', '=', from)
    .execute();
  await db
    .updateTable('task_changes')
    .set({ customer_id: to, reason_enc: null })
    .where('customer_id', '=', from)
    .execute();
  await db
    .updateTable('followups')
    .set({ customer_id: to, note_enc: null })
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
  {
    name: '2026-12-06-01-task-changes',
    /**
     * The inbox: a note on completion, a record of every snooze, reassignment and completion, the
     * daily digests sent, and follow-ups on record.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        ALTER TABLE tasks ADD COLUMN completion_note_enc bytea;
        CREATE TABLE task_changes (
          id bigserial PRIMARY KEY,
          task_id uuid NOT NULL REFERENCES tasks (id),
          customer_id text NOT NULL,
          at timestamptz NOT NULL,
          by text NOT NULL,
          kind text NOT NULL,
          from_value text,
          to_value text,
          reason_enc bytea
        );
        CREATE INDEX task_changes_task ON task_changes (task_id, id);
        CREATE INDEX task_changes_customer ON task_changes (customer_id);
        CREATE INDEX tasks_done ON tasks (assignee, completed_at DESC) WHERE status = 'done';
        CREATE TABLE digests (
          assignee text NOT NULL,
          day date NOT NULL,
          at timestamptz NOT NULL,
          PRIMARY KEY (assignee, day)
        );
        CREATE TABLE followups (
          id uuid PRIMARY KEY,
          customer_id text NOT NULL,
          by text NOT NULL,
          channel text NOT NULL,
          outcome text NOT NULL,
          note_enc bytea,
          at timestamptz NOT NULL,
          next_task_id uuid REFERENCES tasks (id)
        );
        CREATE INDEX followups_customer ON followups (customer_id, at DESC);
      `.execute(db);
    },
  },
  {
    name: '2026-12-09-02-customer-keys',
    /**
     * Every key names the customer, so tasks, their changes and follow-ups can be distributed by
     * customer and kept together (docs/scaling.md). Ids still lead their keys (a task is found by
     * id alone). A key seen before for another customer now makes that customer's own task. A
     * follow-up's next task is its customer's. References are checked at commit: an erasure
     * renames the customer of all three in one transaction, one table after the other.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        ALTER TABLE task_changes DROP CONSTRAINT task_changes_task_id_fkey, DROP CONSTRAINT task_changes_pkey;
        ALTER TABLE followups DROP CONSTRAINT followups_next_task_id_fkey, DROP CONSTRAINT followups_pkey;
        ALTER TABLE tasks DROP CONSTRAINT tasks_pkey, DROP CONSTRAINT tasks_key_key;
        ALTER TABLE tasks ADD PRIMARY KEY (id, customer_id), ADD CONSTRAINT tasks_key UNIQUE (key, customer_id);
        ALTER TABLE task_changes ADD PRIMARY KEY (id, customer_id),
          ADD CONSTRAINT task_changes_task FOREIGN KEY (task_id, customer_id)
            REFERENCES tasks (id, customer_id) DEFERRABLE INITIALLY DEFERRED;
        ALTER TABLE followups ADD PRIMARY KEY (id, customer_id),
          ADD CONSTRAINT followups_next_task FOREIGN KEY (next_task_id, customer_id)
            REFERENCES tasks (id, customer_id) DEFERRABLE INITIALLY DEFERRED;
      `.execute(db);
    },
  },
];
