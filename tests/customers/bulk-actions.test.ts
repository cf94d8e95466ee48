import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { ADMIN_KEY, eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf } from '../support/journeys.ts';

/*
 * A CRM manager acts on every customer of a filter at once: tags them, starts a journey for
 * them, or (an admin) erases them; the workers do it a page at a time and say how far they are.
 */
let engine: TestEngine;
const NAMES = ['李伟', '李娜', '王芳', '张伟', 'Anna Li', '李小龙'];

beforeAll(async () => {
  engine = await startTestEngine();
  const batch = NAMES.map((name, i) => ({ id: `b${i}`, name, email: `b${i}@example.com` }));
  expect((await engine.api('POST', '/api/customers/batch', batch)).status).toBe(200);
});
afterAll(async () => {
  await engine?.stop();
});

async function bulk(body: unknown) {
  const r = await engine.api('POST', '/api/customers/bulk', body);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return eventually(async () => {
    const a = (await engine.api('GET', `/api/customers/bulk/${r.body.id}`)).body;
    return a.status === 'done' ? a : undefined;
  });
}
const ids = async (query: string) =>
  (await engine.api('GET', `/api/customers?${query}`)).body.customers.map((c: { id: string }) => c.id);

describe('bulk actions on a filter', () => {
  it('adds and removes a tag on everyone a name search finds', async () => {
    const done = await bulk({ action: 'tag', tag: 'vip', filter: { name: '李' } });
    expect(done).toMatchObject({ action: 'tag', total: 3, done: 3, params: { tag: 'vip' } });
    expect(await ids('tag=vip')).toEqual(['b0', 'b1', 'b5']);
    // Again: nobody gets the tag twice.
    await bulk({ action: 'tag', tag: 'vip', filter: { name: '李' } });
    const profile = (await engine.api('GET', '/api/customers/b0')).body;
    expect(profile.tags).toEqual(['vip']);
    await bulk({ action: 'untag', tag: 'vip', filter: { name: '李小' } });
    expect(await ids('tag=vip')).toEqual(['b0', 'b1']);
    const trail = await engine.api('GET', '/api/audit?entity=customers');
    expect(trail.body.entries.map((e: { action: string }) => e.action)).toContain('bulk-tag');
  });

  it('acts on rows picked by hand, within the filter when one is given', async () => {
    const picked = await bulk({ action: 'tag', tag: 'picked', ids: ['b2', 'b4'] });
    expect(picked).toMatchObject({ total: 2, done: 2 });
    expect(await ids('tag=picked')).toEqual(['b2', 'b4']);
    // Picked and filtered: only the picked rows the filter also selects (王芳 has no 李).
    const both = await bulk({ action: 'untag', tag: 'picked', ids: ['b2', 'b4'], filter: { name: 'li' } });
    expect(both).toMatchObject({ total: 1, done: 1 });
    expect(await ids('tag=picked')).toEqual(['b2']);
    for (const bad of [[], Array.from({ length: 1001 }, (_, i) => `x${i}`), ['b1', 'b1']])
      expect(
        (await engine.api('POST', '/api/customers/bulk', { action: 'tag', tag: 'x', ids: bad })).status,
      ).toBe(400);
  });

  it('starts a journey for them, once each even when the action runs again', async () => {
    await publish(
      engine,
      `
id: bulk-care
name: Bulk care
trigger: { event: care.offer }
entry: { reenter: always }
start: wait
states:
  wait:
    wait: { event: never.sent, timeout: 30d }
    on:
      never.sent: done
      timeout: done
  done: { end: completed }
`,
    );
    const done = await bulk({ action: 'start', workflow: 'bulk-care', filter: { tag: 'vip' } });
    expect(done).toMatchObject({ total: 2, done: 2 });
    await eventually(async () => (await runsOf(engine, 'b1', 'bulk-care')).length === 1);
    // A worker that died after its page committed runs the page again: the events are the same.
    const db = new pg.Client({ connectionString: engine.databaseUrl });
    await db.connect();
    await db.query(`UPDATE bulk_actions SET status = 'running', after = '', done = 0 WHERE id = $1`, [
      done.id,
    ]);
    await db.end();
    await engine.services.boss.send('tend-bulk', { action: done.id });
    await eventually(
      async () => (await engine.api('GET', `/api/customers/bulk/${done.id}`)).body.status === 'done',
    );
    expect(await runsOf(engine, 'b0', 'bulk-care')).toHaveLength(1);
    expect(await runsOf(engine, 'b1', 'bulk-care')).toHaveLength(1);
    expect(await runsOf(engine, 'b2', 'bulk-care')).toHaveLength(0);
  });

  it('exports a list as CSV (admins), built by the workers a page at a time', async () => {
    const done = await bulk({ action: 'export', filter: { tag: 'vip' } });
    expect(done).toMatchObject({ action: 'export', total: 2, done: 2 });
    const csv = await fetch(`${engine.url}/api/customers/bulk/${done.id}/export.csv`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    // UTF-8 with a byte-order mark, so Excel reads the Chinese names (fetch's text() would drop it).
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('id,name,email,phone,')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^b0,李伟,b0@example\.com,/);
    expect(lines[2]).toMatch(/^b1,李娜,b1@example\.com,/);
    // The file's lines are stored encrypted, like the profiles they come from.
    const db = new pg.Client({ connectionString: engine.databaseUrl });
    await db.connect();
    const parts = await db.query(`SELECT body_enc FROM bulk_export_parts WHERE action_id = $1`, [done.id]);
    await db.end();
    expect(parts.rows.length).toBeGreaterThan(0);
    expect(Buffer.concat(parts.rows.map((r) => r.body_enc)).toString('utf8')).not.toContain('example.com');
  });

  it('refuses what it cannot do, saying why, and lets only admins erase', async () => {
    for (const [body, word] of [
      [{ action: 'tag', tag: ' spaced out', filter: {} }, 'tag'],
      [{ action: 'start', workflow: 'no-such-journey' }, 'not a published journey'],
      [{ action: 'launch' }, 'action'],
      [{ action: 'tag', tag: 'x', filter: { r: '9' } }, 'RFM score'],
    ] as const) {
      const r = await engine.api('POST', '/api/customers/bulk', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body)).toContain(word);
    }
    const key = await engine.api('POST', '/api/keys', { name: 'ops', role: 'operator' });
    const asOperator = await fetch(`${engine.url}/api/customers/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.body.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'erase', filter: { name: 'Anna' } }),
    });
    expect(asOperator.status).toBe(403);
    const exportAsOperator = await fetch(`${engine.url}/api/customers/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.body.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'export', filter: {} }),
    });
    expect(exportAsOperator.status).toBe(403);
    expect((await engine.api('GET', '/api/customers/bulk/not-an-action')).status).toBe(404);
    expect((await engine.api('GET', '/api/customers/bulk/not-an-action/export.csv')).status).toBe(404);
    const erased = await bulk({ action: 'erase', filter: { name: 'Anna' } });
    expect(erased).toMatchObject({ total: 1, done: 1 });
    expect((await engine.api('GET', '/api/customers/b4')).status).toBe(404);
    expect(await ids('name=anna')).toEqual([]);
  });

  it('is carried out after a restart when no worker was running', async () => {
    const databaseUrl = await createTestDatabase();
    const api = await startTestEngine({ DATABASE_URL: databaseUrl }, { workers: false });
    await api.api('POST', '/api/customers/batch', [{ id: 'x1' }, { id: 'x2' }]);
    const r = await api.api('POST', '/api/customers/bulk', { action: 'tag', tag: 'later', filter: {} });
    expect(r.body).toMatchObject({ status: 'running', total: 2, done: 0 });
    await api.stop();
    const workers = await startTestEngine({ DATABASE_URL: databaseUrl });
    try {
      await eventually(
        async () => (await workers.api('GET', `/api/customers/bulk/${r.body.id}`)).body.status === 'done',
      );
      expect((await workers.api('GET', '/api/customers?tag=later')).body.customers).toHaveLength(2);
    } finally {
      await workers.stop();
    }
  });
});
