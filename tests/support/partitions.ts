import pg from 'pg';

/** The partitions of a partitioned table, by name. */
export async function partitionsOf(db: pg.Client, table: string): Promise<string[]> {
  const r = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass ORDER BY 1`,
    [table],
  );
  return r.rows.map((row) => row.name);
}

/** Runs `during` while another session holds a read of `table` open (a long report, say). */
export async function whileReading(databaseUrl: string, table: string, during: () => Promise<void>) {
  const reader = new pg.Client({ connectionString: databaseUrl });
  await reader.connect();
  try {
    await reader.query('BEGIN');
    await reader.query(`SELECT count(*) FROM ${table}`);
    await during();
  } finally {
    await reader.query('ROLLBACK');
    await reader.end();
  }
}
