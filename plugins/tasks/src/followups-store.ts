import type { Insertable, Kysely } from '@tend/plugin-sdk';
import { createTask, type FollowupRow, type TaskRow, type TasksDatabase } from './tasks-store.ts';

type Db = Kysely<TasksDatabase>;

/**
 * Records a follow-up, with the task for the next one when it is planned, in one transaction:
 * both or neither.
 */
export async function logFollowup(
  db: Db,
  row: Omit<Insertable<TasksDatabase['followups']>, 'next_task_id'>,
  next: Omit<Insertable<TasksDatabase['tasks']>, 'status'> | null,
): Promise<{ followup: FollowupRow; next: TaskRow | null }> {
  return db.transaction().execute(async (trx) => {
    const task = next ? (await createTask(trx, next)).row : null;
    const followup = await trx
      .insertInto('followups')
      .values({ ...row, next_task_id: task?.id ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { followup, next: task };
  });
}

/** A customer's follow-ups, newest first. */
export async function followupsOf(db: Db, customerId: string, limit: number): Promise<FollowupRow[]> {
  return db
    .selectFrom('followups')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
