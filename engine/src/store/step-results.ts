import type { Db } from './db.ts';

export interface StepResult {
  key: string;
  runId: string;
  step: string;
  status: 'done' | 'failed';
  output: Record<string, unknown> | null;
  error: { code: string; message: string; kind?: string } | null;
  attempts: number;
}

/** Results already recorded for these idempotency keys: such a step never runs again. */
export async function resultsFor(db: Db, keys: string[]): Promise<Map<string, StepResult>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('step_results').selectAll().where('key', 'in', keys).execute();
  return new Map(
    rows.map((r) => [
      r.key,
      {
        key: r.key,
        runId: r.run_id,
        step: r.step,
        status: r.status as StepResult['status'],
        output: r.output as StepResult['output'],
        error: r.error as StepResult['error'],
        attempts: r.attempts,
      },
    ]),
  );
}

/** Records results (completed `now`); a key recorded before keeps its first result. */
export async function saveResults(db: Db, results: StepResult[], now: Date): Promise<void> {
  if (results.length === 0) return;
  await db
    .insertInto('step_results')
    .values(
      results.map((r) => ({
        key: r.key,
        run_id: r.runId,
        step: r.step,
        status: r.status,
        output: r.output === null ? null : JSON.stringify(r.output),
        error: r.error === null ? null : JSON.stringify(r.error),
        attempts: r.attempts,
        completed_at: now,
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}
