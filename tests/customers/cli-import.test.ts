import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, eventually, startTestEngine, type TestEngine } from '../support/engine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
let engine: TestEngine;
let dir: string;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' });
  dir = await mkdtemp(path.join(tmpdir(), 'tend-import-'));
});
afterAll(async () => {
  await engine?.stop();
});

async function tend(args: string[]) {
  try {
    const r = await run(process.execPath, [path.join(root, 'engine/bin/tend.mjs'), ...args], {
      cwd: root,
      env: { ...process.env, TEND_URL: engine.url, TEND_API_KEY: ADMIN_KEY },
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe('tend import', () => {
  it('imports customers from CSV: profile columns, tags, consent, the rest as attributes', async () => {
    const rows = ['id,email,phone,name,timezone,tags,consent.email,city,lifetimeValue'];
    for (let i = 0; i < 2500; i++)
      rows.push(
        `c${i},c${i}@example.com,+86 138 0000 ${String(i).padStart(4, '0')},客户${i},Asia/Shanghai,vip;wechat,granted,Hangzhou,${i * 10}`,
      );
    const file = path.join(dir, 'customers.csv');
    await writeFile(file, `${rows.join('\n')}\n`);
    const r = await tend(['import', file]);
    expect(r.out).toContain('imported 2,500 customers');
    expect(r.err).toMatch(/importing customers.csv \[#+\]/);
    const c = await engine.api('GET', '/api/customers/c42');
    expect(c.body).toMatchObject({
      email: 'c42@example.com',
      name: '客户42',
      tags: ['vip', 'wechat'],
      attributes: { city: 'Hangzhou', lifetimeValue: 420 },
      consent: { email: { status: 'granted', source: 'import' } },
    });
  });

  it('imports events from NDJSON and stops at a bad line, naming it', async () => {
    const good = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ id: `imp-${i}`, customerId: `c${i}`, type: 'order.placed', data: { amount: 10 } }),
    );
    const file = path.join(dir, 'events.ndjson');
    await writeFile(file, `${good.join('\n')}\n`);
    const r = await tend(['import', file]);
    expect(r.out).toContain('imported 300 events');
    await eventually(async () => (await engine.api('GET', '/api/customers/c7')).body.rfm?.orders === 1);
    const bad = path.join(dir, 'bad.ndjson');
    await writeFile(bad, `${good[0]}\n{"customerId": "x", "type": "Bad Type"}\n`);
    const b = await tend(['import', bad]);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/line 2/);
    const notJson = path.join(dir, 'not.ndjson');
    await writeFile(notJson, `${good[0]}\n{oops\n`);
    expect((await tend(['import', notJson])).err).toMatch(/line 2: not JSON/);
  });
});
