import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';

let engine: TestEngine;
let db: pg.Client;
const person = {
  email: 'mei.chen@example.org',
  phone: '+86 139 1234 5678',
  name: '陈美',
  birthday: '1992-11-05',
};
const needles = ['mei.chen@example.org', '13912345678', '陈美', '1992-11-05', 'mei-chen-42'];

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' });
  db = new pg.Client({ connectionString: engine.databaseUrl });
  await db.connect();
  await publish(
    engine,
    `
id: greet
name: Greet
trigger: { event: signup }
start: a
states:
  a:
    steps:
      - uses: core.set
        with: { values: { contact: "{{ customer.email }} {{ customer.name }}" } }
      - id: echo
        uses: test.noop
        with: { phone: "{{ customer.phone }}" }
    wait: { event: never.sent, timeout: 30d }
    on:
      never.sent: done
      timeout: done
  done: { end: completed }
`,
  );
  await engine.api('PUT', '/api/customers/mei-chen-42', {
    ...person,
    tags: ['vip'],
    consent: { email: 'granted' },
  });
  await send(engine, 'mei-chen-42', 'signup', { referrer: 'mei.chen@example.org' });
  await send(engine, 'mei-chen-42', 'order.placed', { amount: 88, note: '陈美 called' });
  await waitForRun(engine, 'mei-chen-42', (r) =>
    r.history.some((h) => h.type === 'step.done' && h.step === 'echo'),
  );
});
afterAll(async () => {
  await db?.end();
  await engine?.stop();
});

/** Every row of every table (Tend's and pg-boss's), as text, that contains a needle. */
async function findAnywhere(needle: string): Promise<string[]> {
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
  );
  const hits: string[] = [];
  for (const t of tables.rows) {
    const r = await db.query(
      `SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}" x WHERE x::text LIKE $1`,
      [`%${needle}%`],
    );
    if (r.rows[0].n > 0) hits.push(`${t.schema}.${t.name}`);
  }
  return hits;
}

describe('privacy', () => {
  it('exports everything Tend holds about a person', async () => {
    const r = await engine.api('GET', '/api/customers/mei-chen-42/export');
    expect(r.status).toBe(200);
    expect(r.body.customer).toMatchObject({ email: person.email, name: person.name, tags: ['vip'] });
    expect(r.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['signup', 'order.placed']),
    );
    expect(r.body.runs[0]).toMatchObject({
      workflow: 'greet',
      data: { vars: { contact: `${person.email} ${person.name}` } },
    });
    expect(r.body.history.length).toBeGreaterThan(2);
    expect(r.body.audit.map((a: { action: string }) => a.action)).toContain('create');
  });

  it('shows the profile with stage, rfm, segments and a timeline', async () => {
    await eventually(
      async () => (await engine.api('GET', '/api/customers/mei-chen-42')).body.rfm?.orders === 1,
    );
    const r = await engine.api('GET', '/api/customers/mei-chen-42');
    expect(r.body).toMatchObject({ stage: 'active', rfm: { orders: 1, revenue: 88 }, segments: [] });
    expect(r.body.timeline.map((t: { kind: string; type: string }) => `${t.kind}:${t.type}`)).toEqual(
      expect.arrayContaining(['event:signup', 'event:order.placed', 'run:greet']),
    );
  });

  it('erases every trace of personal data and keeps anonymous counts', async () => {
    // In clear before: copied into events, run data and step outputs (the birthday only ever
    // exists encrypted, so it is looked for after only).
    for (const needle of needles.filter((n) => n !== person.birthday)) {
      expect(await findAnywhere(needle), needle).not.toEqual([]);
    }
    const erased = await engine.api('DELETE', '/api/customers/mei-chen-42');
    expect(erased).toMatchObject({ status: 200, body: { erased: true } });
    for (const needle of needles) expect(await findAnywhere(needle), needle).toEqual([]);
    const counts = await db.query(`SELECT count(*)::int AS n FROM events WHERE customer_id = $1`, [
      erased.body.pseudonym,
    ]);
    expect(counts.rows[0].n).toBeGreaterThanOrEqual(2);
    const run = await db.query(`SELECT status, outcome FROM runs WHERE customer_id = $1`, [
      erased.body.pseudonym,
    ]);
    expect(run.rows[0]).toEqual({ status: 'cancelled', outcome: 'erased' });
    expect((await engine.api('GET', '/api/customers/mei-chen-42')).status).toBe(404);
    expect((await engine.api('GET', '/api/customers?email=mei.chen@example.org')).body.customers).toEqual([]);
  });

  it('lets only admins erase', async () => {
    const key = await engine.api('POST', '/api/keys', { name: 'ops', role: 'operator' });
    await engine.api('PUT', '/api/customers/keep-me', { email: 'keep@example.org' });
    const r = await engine.api('DELETE', '/api/customers/keep-me', undefined, { key: key.body.key });
    expect(r.status).toBe(403);
  });
});
