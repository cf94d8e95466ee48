import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish } from '../support/journeys.ts';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine();
  await publish(
    engine,
    `
id: concurrent
name: Concurrent requests
trigger: { event: concurrent.ping }
entry: { reenter: always }
start: done
states:
  done: { end: completed }
`,
  );
});
afterAll(async () => {
  await engine?.stop();
});

describe('one event per request, many requests at once (group commit)', () => {
  it('answers each request for its own event, stores each once and starts each run', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `ping-${i}`);
    // Every id is sent twice, at the same moment: one answer says new, the other duplicate.
    const answers = await Promise.all(
      [...ids, ...ids].map((id, i) =>
        engine.api('POST', '/api/events', { id, customerId: `cc${i % 300}`, type: 'concurrent.ping' }),
      ),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    for (const id of ids) {
      const mine = answers.filter((a) => a.body.id === id);
      expect(mine.map((a) => a.body.duplicate).sort()).toEqual([false, true]);
    }
    const stored = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM events WHERE id LIKE 'ping-%'`.execute(engine.services.db);
    expect(stored.rows[0]?.n).toBe(300);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const runs = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM runs WHERE workflow_id = 'concurrent' AND status = 'completed'`.execute(
        engine.services.db,
      );
      if (runs.rows[0]?.n === 300) break;
      if (Date.now() > deadline) throw new Error(`${runs.rows[0]?.n} of 300 runs completed`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('refuses a bad event alone: the requests sent with it are stored', async () => {
    const answers = await Promise.all([
      engine.api('POST', '/api/events', { customerId: 'ok-1', type: 'concurrent.ping' }),
      engine.api('POST', '/api/events', { customerId: 'x'.repeat(201), type: 'concurrent.ping' }),
      engine.api('POST', '/api/events', { customerId: 'ok-2', type: 'concurrent.ping' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([202, 400, 202]);
  });
});
