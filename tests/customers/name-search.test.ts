import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

/*
 * Finding a customer by part of their name, in Chinese or Latin letters, while names stay
 * encrypted: the database holds keyed hashes of name fragments, never a name.
 */
let engine: TestEngine;
let databaseUrl: string;
const NAMES: Record<string, string> = {
  c01: '李伟',
  c02: '李娜',
  c03: '王伟',
  c04: 'Wei Zhang',
  c05: 'Anna Li',
  c06: '欧阳娜娜',
  c07: 'Zhan Hang',
  c08: '李小伟',
  c09: 'ZHANG Min',
  c10: '张伟 (David)',
};

beforeAll(async () => {
  engine = await startTestEngine();
  databaseUrl = engine.databaseUrl;
  const batch = Object.entries(NAMES).map(([id, name]) => ({
    id,
    name,
    tags: Number(id.slice(1)) % 2 ? ['odd'] : [],
  }));
  expect((await engine.api('POST', '/api/customers/batch', batch)).status).toBe(200);
});
afterAll(async () => {
  await engine?.stop();
});

async function found(query: string, limit = 100): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const r = await engine.api(
      'GET',
      `/api/customers?${query}&limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    ids.push(...r.body.customers.map((c: { id: string }) => c.id));
    after = r.body.next;
    if (!after) return ids;
  }
  throw new Error('more than 20 pages');
}
const q = (name: string) => `name=${encodeURIComponent(name)}`;

describe('partial-name search', () => {
  it('finds Chinese names by a character or a run of them', async () => {
    expect(await found(q('李'))).toEqual(['c01', 'c02', 'c08']);
    expect(await found(q('伟'))).toEqual(['c01', 'c03', 'c08', 'c10']);
    expect(await found(q('阳娜'))).toEqual(['c06']);
    // 李 and 伟 are both in 李小伟, but not side by side.
    expect(await found(q('李伟'))).toEqual(['c01']);
  });

  it('finds Latin names by part of a word, in any case, words in any order', async () => {
    expect(await found(q('wei'))).toEqual(['c04']);
    expect(await found(q('ZHANG'))).toEqual(['c04', 'c09']);
    expect(await found(q('zhang wei'))).toEqual(['c04']);
    expect(await found(q('dav'))).toEqual(['c10']);
    // Zhan Hang holds every fragment of "zhang" (zha, han, ang) but not the word.
    expect(await found(q('zhang'))).not.toContain('c07');
  });

  it('pages through matches without repeating or skipping, with other filters and sorts', async () => {
    expect(await found(q('伟'), 1)).toEqual(['c01', 'c03', 'c08', 'c10']);
    expect(await found(`${q('伟')}&tag=odd`)).toEqual(['c01', 'c03']);
    // All signed up in one batch, at one time: newest first, ties by id, highest first.
    expect(await found(`${q('李')}&sort=created`, 1)).toEqual(['c08', 'c02', 'c01']);
  });

  it('stores no name in clear', async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const rows = await db.query(`SELECT row_to_json(c)::text AS row, name_grams FROM customers c`);
      const all = rows.rows.map((r) => r.row as string).join('\n');
      for (const word of ['李', '伟', 'Wei', 'wei', 'Zhang', 'zhang', 'Anna', 'anna'])
        expect(all).not.toContain(word);
      expect(rows.rows.every((r) => Array.isArray(r.name_grams) && r.name_grams.length > 0)).toBe(true);
    } finally {
      await db.end();
    }
  });

  it('follows renames and erasure', async () => {
    expect((await engine.api('PUT', '/api/customers/c02', { name: '刘娜' })).status).toBe(200);
    expect(await found(q('李'))).toEqual(['c01', 'c08']);
    expect(await found(q('刘'))).toEqual(['c02']);
    expect((await engine.api('DELETE', '/api/customers/c08')).status).toBe(200);
    expect(await found(q('李'))).toEqual(['c01']);
  });

  it('refuses what it cannot look up, saying why', async () => {
    const short = await engine.api('GET', `/api/customers?${q('w')}`);
    expect(short).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('at least two letters') } },
    });
    const nothing = await engine.api('GET', `/api/customers?${q('--')}`);
    expect(nothing).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('part of a name') } },
    });
    const state = await engine.api('GET', '/api/customers?state=waiting');
    expect(state).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('journey') } },
    });
  });

  it('filters by journey and state', async () => {
    await publish(
      engine,
      `
id: name-search-care
name: Care
trigger: { event: care.start }
start: waiting
states:
  waiting:
    wait: { event: care.next }
    on:
      care.next: called
  called:
    wait: { event: care.next }
    on:
      care.next: done
  done: { end: completed }
`,
    );
    await send(engine, 'c01', 'care.start');
    await send(engine, 'c03', 'care.start');
    await send(engine, 'c04', 'care.start');
    await eventually(async () => (await runsOf(engine, 'c04', 'name-search-care'))[0]?.state === 'waiting');
    await send(engine, 'c03', 'care.next');
    await eventually(async () => (await runsOf(engine, 'c03', 'name-search-care'))[0]?.state === 'called');
    expect(await found('journey=name-search-care')).toEqual(['c01', 'c03', 'c04']);
    expect(await found('journey=name-search-care&state=waiting')).toEqual(['c01', 'c04']);
    expect(await found(`journey=name-search-care&state=waiting&${q('伟')}`)).toEqual(['c01']);
  });

  it('indexes names stored before partial-name search when the engine starts', async () => {
    await engine.stop();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(`UPDATE customers SET name_grams = NULL WHERE id IN ('c01', 'c05')`);
    await db.end();
    engine = await startTestEngine({ DATABASE_URL: databaseUrl });
    await eventually(async () => (await found(q('anna'))).includes('c05'));
    expect(await found(q('李'))).toEqual(['c01']);
  });
});
