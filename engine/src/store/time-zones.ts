import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * The time zones customers live in (null: the installation's). A loose index scan over
 * customers_timezone, so a million customers cost a few dozen index probes, not a table scan.
 */
export async function customerZones(db: Db): Promise<(string | null)[]> {
  const r = await sql<{ timezone: string | null }>`
    WITH RECURSIVE z AS (
      (SELECT timezone FROM customers WHERE timezone IS NOT NULL ORDER BY timezone LIMIT 1)
      UNION ALL
      SELECT (SELECT c.timezone FROM customers c WHERE c.timezone > z.timezone ORDER BY c.timezone LIMIT 1)
      FROM z WHERE z.timezone IS NOT NULL
    )
    SELECT timezone FROM z WHERE timezone IS NOT NULL
    UNION ALL
    SELECT NULL WHERE EXISTS (SELECT 1 FROM customers WHERE timezone IS NULL)`.execute(db);
  return r.rows.map((x) => x.timezone);
}
