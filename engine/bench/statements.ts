import type pg from 'pg';

/**
 * Where PostgreSQL's time goes (`pnpm bench -- --statements`): the statements that took the most
 * execution time in a measured phase, from pg_stat_statements. The embedded server loads it when
 * asked; a DATABASE_URL server must have it in shared_preload_libraries.
 */
export const STATEMENT_FLAGS = [
  '-c',
  'shared_preload_libraries=pg_stat_statements',
  '-c',
  'pg_stat_statements.track=all',
];

export interface StatementTime {
  calls: number;
  ms: number;
  share: number;
  statement: string;
}

/** Starts counting afresh; false when the server does not have the extension loaded. */
export async function resetStatements(db: pg.Client): Promise<boolean> {
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await db.query('SELECT pg_stat_statements_reset()');
    return true;
  } catch {
    return false;
  }
}

/** The statements that took the most time since the reset, with their share of all of it. */
export async function topStatements(db: pg.Client, limit = 20): Promise<StatementTime[]> {
  const r = await db.query<{ calls: string; ms: number; total: number; statement: string }>(
    `SELECT calls, total_exec_time AS ms, sum(total_exec_time) OVER () AS total,
            left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS statement
     FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
     ORDER BY total_exec_time DESC LIMIT $1`,
    [limit],
  );
  return r.rows.map((x) => ({
    calls: Number(x.calls),
    ms: Math.round(x.ms),
    share: x.total > 0 ? Math.round((x.ms / x.total) * 1000) / 10 : 0,
    statement: x.statement,
  }));
}

export function printStatements(title: string, rows: StatementTime[]): void {
  process.stdout.write(`\n${title}\n`);
  for (const r of rows) {
    process.stdout.write(
      `  ${`${r.share} %`.padStart(7)} ${`${r.ms} ms`.padStart(9)} ${String(r.calls).padStart(7)} calls  ${r.statement}\n`,
    );
  }
}
