import pg from 'pg';
import { checkpoint } from './support.ts';

/**
 * (p) What a customer in every key costs the hot tables that have none yet (docs/scaling.md):
 * run_history and step_results written as today and with a customer_id column in the primary
 * key, rows shaped like the engine's (six history entries and three results per run). The
 * variants take turns, so a slow spell of a shared machine does not land on one side only.
 */
const SHAPES = {
  'run_history today': {
    ddl: `CREATE TABLE key_width (id bigserial PRIMARY KEY, run_id uuid NOT NULL, at timestamptz NOT NULL,
            type text NOT NULL, state text, step text, detail jsonb);
          CREATE INDEX key_width_run ON key_width (run_id, id)`,
    insert: `INSERT INTO key_width (run_id, at, type, state, detail)
             SELECT md5((g / 6)::text)::uuid, $3, 'state.entered', 'hello', '{"after":[{"type":"step.started"}]}'
             FROM generate_series($1::int, $2::int) g`,
  },
  'run_history with customer_id': {
    ddl: `CREATE TABLE key_width (id bigserial, run_id uuid NOT NULL, customer_id text NOT NULL,
            at timestamptz NOT NULL, type text NOT NULL, state text, step text, detail jsonb,
            PRIMARY KEY (id, customer_id));
          CREATE INDEX key_width_run ON key_width (run_id, id)`,
    insert: `INSERT INTO key_width (run_id, customer_id, at, type, state, detail)
             SELECT md5((g / 6)::text)::uuid, 'bench-c-' || lpad((g / 6)::text, 7, '0'), $3, 'state.entered',
               'hello', '{"after":[{"type":"step.started"}]}'
             FROM generate_series($1::int, $2::int) g`,
  },
  'step_results today': {
    ddl: `CREATE TABLE key_width (key text PRIMARY KEY, run_id uuid NOT NULL, step text NOT NULL,
            status text NOT NULL, output jsonb, error jsonb, attempts int NOT NULL, completed_at timestamptz NOT NULL)`,
    insert: `INSERT INTO key_width (key, run_id, step, status, output, attempts, completed_at)
             SELECT md5((g / 3)::text)::uuid::text || ':' || (g % 3) || ':0', md5((g / 3)::text)::uuid, 'tag',
               'done', '{}', 1, $3
             FROM generate_series($1::int, $2::int) g`,
  },
  'step_results with customer_id': {
    ddl: `CREATE TABLE key_width (key text, run_id uuid NOT NULL, customer_id text NOT NULL, step text NOT NULL,
            status text NOT NULL, output jsonb, error jsonb, attempts int NOT NULL, completed_at timestamptz NOT NULL,
            PRIMARY KEY (key, customer_id))`,
    insert: `INSERT INTO key_width (key, run_id, customer_id, step, status, output, attempts, completed_at)
             SELECT md5((g / 3)::text)::uuid::text || ':' || (g % 3) || ':0', md5((g / 3)::text)::uuid,
               'bench-c-' || lpad((g / 3)::text, 7, '0'), 'tag', 'done', '{}', 1, $3
             FROM generate_series($1::int, $2::int) g`,
  },
};

export interface KeyWidth {
  shape: string;
  rows: number;
  /** The median of the turns, each the rows written 500 per statement. */
  seconds: number;
  secondsEach: number[];
  tableMb: number;
  indexMb: number;
}

export async function keyWidthBench(databaseUrl: string, rows: number, turns = 3): Promise<KeyWidth[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const at = new Date(0);
  const seen = new Map<string, KeyWidth>();
  try {
    for (let turn = 0; turn < turns; turn++)
      for (const [shape, { ddl, insert }] of Object.entries(SHAPES)) {
        await db.query('DROP TABLE IF EXISTS key_width');
        await db.query(ddl);
        await checkpoint(db);
        const started = performance.now();
        for (let i = 0; i < rows; i += 500) await db.query(insert, [i, Math.min(i + 500, rows) - 1, at]);
        const seconds = (performance.now() - started) / 1000;
        const size = await db.query<{ total: string; indexes: string }>(
          `SELECT pg_total_relation_size('key_width') AS total, pg_indexes_size('key_width') AS indexes`,
        );
        const mb = (bytes: string | undefined) => Math.round(Number(bytes) / 1e5) / 10;
        const entry = seen.get(shape) ?? {
          shape,
          rows,
          seconds: 0,
          secondsEach: [],
          tableMb: mb(size.rows[0]?.total),
          indexMb: mb(size.rows[0]?.indexes),
        };
        entry.secondsEach.push(Math.round(seconds * 10) / 10);
        seen.set(shape, entry);
      }
    await db.query('DROP TABLE IF EXISTS key_width');
  } finally {
    await db.end();
  }
  return [...seen.values()].map((e) => {
    const sorted = [...e.secondsEach].sort((a, b) => a - b);
    return { ...e, seconds: sorted[Math.floor(sorted.length / 2)] ?? 0 };
  });
}
