import pg from 'pg';

/** A table of Tend's schema as the catalog describes it. */
export interface TableKeys {
  /** `schema.table` */
  table: string;
  columns: string[];
  /** The primary key's columns (empty if none). */
  primaryKey: string[];
  /** Every unique constraint and unique index other than the primary key: name → columns. */
  uniques: { name: string; columns: string[] }[];
}

/** The schemas the engine and its plugins own; pg-boss's own schema is a node-local queue. */
const SKIPPED_SCHEMAS = ['pg_catalog', 'information_schema', 'pgboss', 'pg_toast'];

/** Every ordinary or partitioned table of Tend's schemas, with its keys (read from pg_catalog). */
export async function readTableKeys(databaseUrl: string): Promise<TableKeys[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ oid: number; name: string; columns: string[] }>(
      `SELECT c.oid::int AS oid, n.nspname || '.' || c.relname AS name,
              array(SELECT a.attname::text FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                     ORDER BY a.attnum) AS columns
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND n.nspname <> ALL($1) AND n.nspname NOT LIKE 'pg_temp%'
        ORDER BY 2`,
      [SKIPPED_SCHEMAS],
    );
    // Unique indexes cover unique constraints and primary keys too (each is backed by one).
    // An expression column (attnum 0) reads as null: it cannot be the distribution column.
    const indexes = await client.query<{
      table_oid: number;
      name: string;
      primary: boolean;
      columns: (string | null)[];
    }>(
      `SELECT i.indrelid::int AS table_oid, ic.relname AS name, i.indisprimary AS primary,
              array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                     LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indisunique
        ORDER BY ic.relname`,
    );
    return tables.rows.map((t) => {
      const own = indexes.rows.filter((i) => i.table_oid === t.oid);
      const primary = own.find((i) => i.primary);
      return {
        table: t.name,
        columns: t.columns,
        primaryKey: (primary?.columns ?? []).map((c) => c ?? '(expression)'),
        uniques: own
          .filter((i) => !i.primary)
          .map((i) => ({ name: i.name, columns: i.columns.map((c) => c ?? '(expression)') })),
      };
    });
  } finally {
    await client.end();
  }
}

/** Tables not distributed by customer: why each is a reference (or coordinator-only) table. */
export type ReasonList = Record<string, string>;

/** A customer-scoped table that does not follow the rule yet, and what will bring it. */
export interface Exception {
  why: string;
  measured: string;
  migration: string;
}

/** The column a customer-scoped table is distributed by: `customer_id`, or the customers' own id. */
export const DISTRIBUTION_COLUMN = 'customer_id';
const OWN_ID_TABLES = new Set(['public.customers']);

/** Every plugin schema's list of applied migrations: the host creates it, one per plugin. */
const PLUGIN_MIGRATIONS = /^plugin_[a-z0-9_]+\.tend_migrations$/;

export function distributionColumnOf(table: TableKeys): string | null {
  if (OWN_ID_TABLES.has(table.table)) return 'id';
  return table.columns.includes(DISTRIBUTION_COLUMN) ? DISTRIBUTION_COLUMN : null;
}

/**
 * Breaks of the rule: a customer-scoped table whose primary key or a unique key leaves out the
 * customer (unless it is a written exception), a table without a customer that is neither a
 * reference table nor an exception, and list entries that no longer describe the schema.
 */
export function citusViolations(
  tables: TableKeys[],
  reference: ReasonList,
  exceptions: Record<string, Exception>,
): string[] {
  const found: string[] = [];
  const names = new Set(tables.map((t) => t.table));
  for (const table of tables) {
    const column = distributionColumnOf(table);
    const excepted = table.table in exceptions;
    if (column === null) {
      if (table.table in reference || excepted || PLUGIN_MIGRATIONS.test(table.table)) continue;
      found.push(`${table.table}: no ${DISTRIBUTION_COLUMN} and not a listed reference table`);
      continue;
    }
    if (table.table in reference)
      found.push(`${table.table}: listed as a reference table but has ${column} (distribute it by customer)`);
    const breaks: string[] = [];
    if (!table.primaryKey.includes(column))
      breaks.push(`primary key (${table.primaryKey.join(', ') || 'none'}) leaves out ${column}`);
    for (const unique of table.uniques)
      if (!unique.columns.includes(column))
        breaks.push(`unique ${unique.name} (${unique.columns.join(', ')}) leaves out ${column}`);
    if (breaks.length > 0 && !excepted) found.push(...breaks.map((b) => `${table.table}: ${b}`));
    if (breaks.length === 0 && excepted)
      found.push(`${table.table}: follows the rule now; take it off the exceptions`);
  }
  for (const listed of [...Object.keys(reference), ...Object.keys(exceptions)])
    if (!names.has(listed)) found.push(`${listed}: listed but no such table`);
  return found;
}
