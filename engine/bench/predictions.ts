/**
 * The purchase model's nightly refresh at scale [1,000,000 customers fitted and scored in ≤ 5 min]:
 * buyers drawn from MBG/NBD and Gamma-Gamma are written straight into customers and
 * customer_metrics (what the refresh reads; their order events are not needed for it), then one
 * refresh is timed: the fit on a sample, every buyer scored and written a page at a time.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { CustomerCodec } from '../src/customers/codec.ts';
import { createLogger } from '../src/logger.ts';
import { drawCustomers } from '../src/predictions/synthetic.ts';
import { KeyRing } from '../src/privacy/key-ring.ts';
import { createDb } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { refreshPredictions } from '../src/workers/predictions-refresh.ts';
import { checkpoint, engineClock, progress } from './support.ts';

const DAY = 86_400_000;
const BATCH = 20_000;
/** A shop's buyers: about one order in 50 days while active, first orders spread over two years. */
const SHOP = { r: 0.8, alpha: 40, a: 0.5, b: 3 };
const SPEND = { p: 4, q: 3, gamma: 40 };

export async function predictionsBench(databaseUrl: string, o: { customers: number }) {
  const { db } = createDb(databaseUrl, { max: 4 });
  await migrateToLatest(db);
  const now = engineClock();
  const tag = now.getTime().toString(36);
  let started = performance.now();
  for (let start = 0; start < o.customers; start += BATCH) {
    const count = Math.min(BATCH, o.customers - start);
    const drawn = drawCustomers(SHOP, SPEND, count, {
      seed: start + 1,
      spread: 730,
      minAge: 1,
      variant: 'mbg',
    });
    const ids = drawn.map((_, i) => `pred-${tag}-${String(start + i).padStart(7, '0')}`);
    const at = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
    // Arrays through unnest: a statement has at most 65,535 parameters.
    await db.transaction().execute(async (trx) => {
      await sql`
        INSERT INTO customers (id, created_at, updated_at)
        SELECT id, ${now}::timestamptz, ${now}::timestamptz FROM unnest(${ids}::text[]) AS id`.execute(trx);
      await sql`
        INSERT INTO customer_metrics (customer_id, orders, revenue, first_order_at, last_order_at, updated_at)
        SELECT u.id, u.orders, u.revenue, u.first_at, u.last_at, ${now}::timestamptz
        FROM unnest(${ids}::text[], ${drawn.map((c) => c.spend.orders)}::int[],
          ${drawn.map((c) => (c.spend.orders * c.spend.meanValue).toFixed(2))}::numeric[],
          ${drawn.map((c) => at(c.history.T))}::timestamptz[],
          ${drawn.map((c) => at(c.history.T - c.history.tx))}::timestamptz[]) AS u(id, orders, revenue, first_at, last_at)`.execute(
        trx,
      );
    });
    progress('seed buyers', start + count, o.customers);
  }
  const seedSeconds = (performance.now() - started) / 1000;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('VACUUM ANALYZE customers, customer_metrics');
  await checkpoint(client);
  await client.end();

  process.stderr.write('  refreshing predictions …\n');
  const boss = new PgBoss(databaseUrl);
  const deps = {
    db,
    boss,
    customers: new CustomerCodec(new KeyRing(Buffer.alloc(32, 9)), () => now),
    log: createLogger('warn'),
  };
  started = performance.now();
  const record = await refreshPredictions(deps, now);
  const seconds = (performance.now() - started) / 1000;
  await db.destroy();
  return {
    customers: o.customers,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    refresh: {
      seconds: Number(seconds.toFixed(1)),
      fitSeconds: Number((record.fitMs / 1000).toFixed(1)),
      buyers: record.buyers,
      scored: record.scored,
      fittedOn: record.model?.fittedOn ?? 0,
      sampled: record.sampled,
      params: record.model?.bgNbd ?? null,
      drawnFrom: SHOP,
    },
  };
}
