import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';

/*
 * A database made by the previous release (tests/fixtures/previous-release/make-dump.ts says
 * how): three customers in a journey that tagged them, awarded points, mailed them, sent an NPS
 * survey and created a task; p-1 answered the survey, p-2's task is done, p-3 waits. Today's
 * engine starts on it, migrates it forward, and the journeys go on with their data.
 */
const DUMP = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'previous-release',
  'dump.sql',
);
let databaseUrl: string;
let engine: TestEngine;
let clock: TestClock;

async function psql(text: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  // Plain SQL as pg_dump wrote it, but for its psql meta-commands (\restrict), which only psql reads.
  await psql((await readFile(DUMP, 'utf8')).replace(/^\\.*$/gm, ''));
  // The dump holds absolute times. Upgrade as if it were made three hours ago, whatever today's
  // date: queued jobs move with it (the 2-hour timers are due, the 30-day ones are not), and
  // the engine's clock stands three hours after the dump.
  const dumped = (await psql('SELECT max(started_at) AS at FROM runs')).rows[0].at as Date;
  clock = new TestClock(new Date(dumped.getTime() + 3 * 3600_000).toISOString());
  await psql(`UPDATE pgboss.job SET start_after = start_after + (now() - '${dumped.toISOString()}'::timestamptz) - interval '3 hours',
                created_on = created_on + (now() - '${dumped.toISOString()}'::timestamptz) - interval '3 hours'`);
  engine = await startTestEngine(
    { DATABASE_URL: databaseUrl, TEND_PUBLIC_URL: 'http://tend.example', TEND_PLUGINS: '' },
    { clock },
  );
});
afterAll(async () => {
  await engine?.stop();
});

type Run = { id: string; customerId: string; state: string; status: string; outcome: string | null };
const runs = async (workflow: string, customer: string) =>
  (await engine.api('GET', `/api/runs?workflow=${workflow}&customer=${customer}`)).body.runs as Run[];

async function surveyLink(customer: string): Promise<string> {
  const r = await engine.api('GET', `/api/messages?customer=${customer}&provider=devbox`);
  const invite = r.body.messages.find((m: { template: string }) => m.template === 'survey-invite');
  const link = /http:\/\/tend\.example(\/s\/[A-Za-z0-9_.~-]+)/.exec(JSON.stringify(invite))?.[1];
  if (!link) throw new Error(`no survey link for ${customer}`);
  return link;
}

describe('a database of the previous release', () => {
  it('keeps every record: profiles, points, messages, survey answers, tasks', async () => {
    const p1 = (await engine.api('GET', '/api/customers/p-1')).body;
    expect(p1).toMatchObject({ name: 'Li Wei', email: 'li.wei@example.com', tags: ['legacy'] });
    expect(p1.loyalty).toMatchObject({ balance: 50, earned: 50 });

    const points = (await engine.api('GET', '/api/loyalty/p-1')).body;
    expect(points).toMatchObject({ balance: 50, earned: 50 });
    expect(points.ledger).toEqual([expect.objectContaining({ points: 50, reason: 'welcome' })]);

    const mail = (await engine.api('GET', '/api/messages?customer=p-1')).body.messages;
    expect(mail.map((m: { template: string }) => m.template).sort()).toEqual(['survey-invite', 'welcome']);
    expect(JSON.stringify(mail)).toContain('Li Wei');

    const nps = (await engine.api('GET', '/api/surveys/nps/results')).body;
    expect(nps).toMatchObject({ sent: 3, answered: 1 });
    expect(nps.distribution).toEqual(expect.arrayContaining([{ score: 9, count: 1 }]));

    const tasks = (await engine.api('GET', '/api/tasks?assignee=ada@example.com')).body.tasks;
    expect(tasks.map((t: { title: string; status: string }) => `${t.title}:${t.status}`).sort()).toEqual([
      'Call Ada Chen:done',
      'Call Bo Zhang:open',
      'Call Li Wei:open',
    ]);
  });

  it('keeps every event, in the partition for what the previous release stored', async () => {
    const r = await psql(`SELECT tableoid::regclass::text AS part, count(*)::int AS n, max(seq)::int AS last
      FROM events GROUP BY 1`);
    expect(r.rows).toEqual([{ part: 'events_before', n: 14, last: 14 }]);
    expect((await psql(`SELECT relkind FROM pg_class WHERE relname = 'events'`)).rows).toEqual([
      { relkind: 'p' },
    ]);
    // An event the previous release stored is still skipped when it is sent again.
    const again = await engine.api('POST', '/api/events/batch', [
      { id: 'start-p-1', customerId: 'p-1', type: 'legacy.start' },
    ]);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    // New events continue the sequence, in their month's partition.
    await engine.api('POST', '/api/events', { id: 'after-upgrade', customerId: 'p-1', type: 'page.viewed' });
    const next = await psql(
      `SELECT seq::int, tableoid::regclass::text AS part FROM events WHERE id = 'after-upgrade'`,
    );
    expect(next.rows[0].seq).toBeGreaterThan(14);
    expect(next.rows[0].part).toMatch(/^events_\d{4}_\d{2}$/);
  });

  it('keeps every run history entry, in the partition for what the previous release wrote', async () => {
    const r = await psql(`SELECT count(*)::int AS n, max(id)::int AS last FROM run_history_before`);
    expect(r.rows).toEqual([{ n: 31, last: 31 }]);
    expect((await psql(`SELECT relkind FROM pg_class WHERE relname = 'run_history'`)).rows).toEqual([
      { relkind: 'p' },
    ]);
    // A run of the previous release reads from its first entry, through the view and the API.
    const [run] = await runs('legacy', 'p-1');
    const history = (await engine.api('GET', `/api/runs/${run?.id}`)).body.history as { type: string }[];
    expect(history.slice(0, 2).map((h) => h.type)).toEqual(['run.started', 'state.entered']);
  });

  it('goes on with the journeys in flight: timers fire, tasks and answers move runs on', async () => {
    // The 2-hour timers were due while the engine was down: they fire now.
    for (const customer of ['p-1', 'p-2', 'p-3']) {
      await eventually(async () => (await runs('legacy-timer', customer))[0]?.status === 'completed');
    }
    expect((await runs('legacy', 'p-2'))[0]).toMatchObject({ state: 'answered', status: 'active' });

    // p-3's task is done now, then p-3 answers the survey mailed by the previous release.
    const open = (await engine.api('GET', '/api/tasks?customer=p-3')).body.tasks;
    expect(
      (await engine.api('POST', `/api/tasks/${open[0].id}/complete`, { outcome: 'reached' })).status,
    ).toBe(200);
    await eventually(async () => (await runs('legacy', 'p-3'))[0]?.state === 'answered');
    for (const customer of ['p-2', 'p-3']) {
      const answer = await fetch(`${engine.url}${await surveyLink(customer)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score=10',
      });
      expect(answer.status).toBe(200);
      await eventually(async () => (await runs('legacy', customer))[0]?.outcome === 'completed');
      // Points awarded by today's loyalty plugin add to the balance the previous release kept.
      const points = (await engine.api('GET', `/api/loyalty/${customer}`)).body;
      expect(points).toMatchObject({ balance: 70, earned: 70 });
    }
    const nps = (await engine.api('GET', '/api/surveys/nps/results')).body;
    expect(nps).toMatchObject({ sent: 3, answered: 3 });
    // p-1 answered before its task was done; it waits for an answer that came long ago.
    expect((await runs('legacy', 'p-1'))[0]).toMatchObject({ state: 'act', status: 'active' });
    // Their history goes on after what the previous release wrote, in this month's partition.
    const [done] = await runs('legacy', 'p-3');
    const parts = await psql(`SELECT tableoid::regclass::text AS part, min(id)::int AS first FROM run_history
      WHERE run_id = '${done?.id}' GROUP BY 1 ORDER BY 2`);
    expect(parts.rows.map((p) => p.part)).toEqual([
      'run_history_before',
      expect.stringMatching(/^run_history_\d{4}_\d{2}$/),
    ]);
    expect(parts.rows[1].first).toBeGreaterThan(31);
  });
});
