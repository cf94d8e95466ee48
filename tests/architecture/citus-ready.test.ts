import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PLUGIN, startTestEngine, TEST_PLUGIN, type TestEngine } from '../support/engine.ts';
import { citusViolations, readTableKeys } from './citus-ready.ts';
import { EXCEPTIONS, REFERENCE_TABLES } from './citus-tables.ts';

/*
 * The schema can be distributed by customer (docs/scaling.md): every table of the engine and of
 * the installed plugins, after all their migrations, either keeps the customer in its primary
 * key and every unique key, or is a listed reference table, or a written exception.
 */
describe('the schema, ready to distribute by customer', () => {
  let engine: TestEngine;
  let databaseUrl: string;

  beforeAll(async () => {
    engine = await startTestEngine({ TEND_PLUGINS: `${TEST_PLUGIN},${EXAMPLE_PLUGIN}` }, { workers: false });
    databaseUrl = engine.config.databaseUrl as string;
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('keeps the customer in every key of every customer-scoped table', async () => {
    const tables = await readTableKeys(databaseUrl);
    expect(tables.length).toBeGreaterThan(30);
    expect(citusViolations(tables, REFERENCE_TABLES, EXCEPTIONS)).toEqual([]);
  });

  it('reports each way a new table can break the rule', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`
        CREATE SCHEMA plugin_breaks;
        CREATE TABLE plugin_breaks.orders (id uuid PRIMARY KEY, customer_id text NOT NULL);
        CREATE TABLE plugin_breaks.notes (id int PRIMARY KEY, body text);
        CREATE TABLE plugin_breaks.visits (customer_id text NOT NULL, id int, PRIMARY KEY (customer_id, id));
        CREATE UNIQUE INDEX visits_by_id ON plugin_breaks.visits (id);
        CREATE TABLE plugin_breaks.coupons (customer_id text NOT NULL, code text NOT NULL UNIQUE);
        CREATE TABLE plugin_breaks.tend_migrations (name text PRIMARY KEY);`);
      const tables = await readTableKeys(databaseUrl);
      const found = citusViolations(tables, REFERENCE_TABLES, EXCEPTIONS).filter((f) =>
        f.startsWith('plugin_breaks.'),
      );
      expect(found.sort()).toEqual([
        'plugin_breaks.coupons: primary key (none) leaves out customer_id',
        'plugin_breaks.coupons: unique coupons_code_key (code) leaves out customer_id',
        'plugin_breaks.notes: no customer_id and not a listed reference table',
        'plugin_breaks.orders: primary key (id) leaves out customer_id',
        'plugin_breaks.visits: unique visits_by_id (id) leaves out customer_id',
      ]);
      // The lists stay true: a stale entry, a reference table with customers, a healed exception.
      const stale = citusViolations(
        tables.filter((t) => !t.table.startsWith('plugin_breaks.')),
        { ...REFERENCE_TABLES, 'public.gone': 'was here', 'public.customer_metrics': 'by mistake' },
        { ...EXCEPTIONS, 'public.segment_members': { why: '', measured: '', migration: '' } },
      );
      expect(stale.sort()).toEqual([
        'public.customer_metrics: listed as a reference table but has customer_id (distribute it by customer)',
        'public.gone: listed but no such table',
        'public.segment_members: follows the rule now; take it off the exceptions',
      ]);
    } finally {
      await client.end();
    }
  });
});
