import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { eventually, startTestEngine, TEST_ENCRYPTION_KEY } from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
const NEW_KEY = Buffer.alloc(32, 3).toString('hex');

describe('encryption key rotation', () => {
  it('re-encrypts everything under the new key; afterwards the old key is not needed', async () => {
    const databaseUrl = await createTestDatabase();
    const before = await startTestEngine({ DATABASE_URL: databaseUrl });
    for (let i = 0; i < 30; i++) {
      await before.api('PUT', `/api/customers/k${i}`, {
        email: `k${i}@example.com`,
        phone: `+8613800000${String(i).padStart(3, '0')}`,
        name: `Name ${i}`,
        owner: 'mei',
        consent: { email: 'granted' },
      });
    }
    // A message (recipient and content) and a task (title) are encrypted too.
    await publish(
      before,
      `
id: rotation
name: Rotation
trigger: { event: rotation.go }
start: go
states:
  go:
    steps:
      - uses: messaging.send
        with: { channel: email, template: welcome }
      - uses: tasks.create
        with: { title: "Call {{ customer.name }}", due: 2d }
    end: done
`,
    );
    await send(before, 'k7', 'rotation.go');
    await eventually(async () => (await runsOf(before, 'k7', 'rotation'))[0]?.status === 'completed');
    await before.stop();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const old = await db.query(`SELECT email_enc FROM customers WHERE id = 'k7'`);

    const r = await run(process.execPath, [path.join(root, 'engine/bin/tend.mjs'), 'keys', 'rotate'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEND_ENCRYPTION_KEY: NEW_KEY,
        TEND_ENCRYPTION_OLD_KEYS: TEST_ENCRYPTION_KEY,
      },
    });
    expect(r.stdout).toMatch(/30 of 30 customers and 2 messages and tasks re-encrypted/);
    const fresh = await db.query(`SELECT email_enc FROM customers WHERE id = 'k7'`);
    expect(Buffer.compare(old.rows[0].email_enc, fresh.rows[0].email_enc)).not.toBe(0);
    await db.end();

    const after = await startTestEngine(
      { DATABASE_URL: databaseUrl, TEND_ENCRYPTION_KEY: NEW_KEY },
      { workers: false },
    );
    try {
      expect((await after.api('GET', '/api/customers/k7')).body).toMatchObject({
        email: 'k7@example.com',
        name: 'Name 7',
      });
      const messages = await after.api('GET', '/api/messages?customer=k7');
      expect(messages.body.messages[0]).toMatchObject({
        to: 'k7@example.com',
        subject: expect.stringContaining('Name 7'),
      });
      const tasks = await after.api('GET', '/api/tasks?customer=k7');
      expect(tasks.body.tasks[0]).toMatchObject({ title: 'Call Name 7' });
      expect(
        (await after.api('GET', '/api/customers?email=k9@example.com')).body.customers.map(
          (c: { id: string }) => c.id,
        ),
      ).toEqual(['k9']);
      // Names' fragments were hashed again under the new key: partial-name search still finds.
      const named = await after.api('GET', '/api/customers?name=name&limit=100');
      expect(named.body.customers).toHaveLength(30);
    } finally {
      await after.stop();
    }
  });
});
