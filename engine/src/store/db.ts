import { Kysely, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { PipelinedPostgresDialect } from './pipelined-dialect.ts';
import { prepareRepeatedStatements } from './prepared-statements.ts';
import type { Database } from './schema.ts';

// bigint columns (event seq) stay strings; counts are cast in SQL where numbers are wanted.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export type Db = Kysely<Database>;

/**
 * `= ANY($1)`: a list of ids as ONE array parameter. `IN ($1, …, $500)` makes PostgreSQL parse
 * and plan a new statement for every list length; the engine's batches look up hundreds of ids
 * many times a second.
 */
export const anyOf = <T>(values: readonly T[]): RawBuilder<T> => sql<T>`ANY(${values})`;

export interface DbOptions {
  /** Connections in the pool. */
  max?: number;
  /** Run repeated statements as named statements (prepared-statements.ts). */
  prepare?: boolean;
}

/**
 * One pool per process, shared by the API, the workers and the jobs pg-boss inserts inside their
 * transactions (pg-boss fetches and completes jobs through a pool of its own).
 */
export function createDb(
  url: string,
  { max = 20, prepare = false }: DbOptions = {},
): { db: Db; pool: pg.Pool } {
  // Pipeline mode: statements sent together (store/pipeline.ts) cost one round trip.
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'tend', pipeline: true });
  // An idle client that loses its server (restart, network) must not crash the process.
  pool.on('error', () => {});
  // Nor one that is checked out: the pool takes its idle listener off a client it hands out, and
  // a socket that dies mid-statement emits 'error', which unheard ends the process. The statement
  // (and its transaction) fails with the same error, and the pool drops the broken client.
  pool.on('connect', (client) => client.on('error', () => {}));
  if (prepare) prepareRepeatedStatements(pool);
  const db = new Kysely<Database>({ dialect: new PipelinedPostgresDialect({ pool }) });
  return { db, pool };
}
