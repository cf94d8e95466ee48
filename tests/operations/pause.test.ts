import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tend } from '../support/cli.ts';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runDetail, runsOf, send } from '../support/journeys.ts';
import { type RecordingPeer, startPeer } from '../support/peer.ts';

let engine: TestEngine;
let peer: RecordingPeer;

const journey = (url: string) => `
id: paced
name: Paced
trigger: { event: paced.start }
entry: { reenter: always }
start: first
states:
  first:
    wait: { for: 6s } # longer than starting the CLI that pauses
    next: mail
  mail:
    steps:
      - id: message
        uses: test.record
        with: { url: "${url}" }
    end: sent
`;

beforeAll(async () => {
  peer = await startPeer();
  engine = await startTestEngine();
  await publish(engine, journey(peer.url));
});
afterAll(async () => {
  await engine?.stop();
  await peer?.close();
});

const waiting = (customer: string) =>
  eventually(async () => (await runsOf(engine, customer, 'paced'))[0]?.phase === 'wait-delay');

describe('pause and resume', () => {
  it('a paused journey admits no one and holds its customers before their next step', async () => {
    await send(engine, 'p-1', 'paced.start');
    await send(engine, 'p-2', 'paced.start');
    await waiting('p-1');
    await waiting('p-2');
    const paused = await tend(engine.url, ['pause', 'paced']);
    expect(paused.code, paused.err).toBe(0);
    expect(paused.out).toContain('paced: paused');
    expect((await engine.api('GET', '/api/workflows/paced')).body.pausedAt).toEqual(expect.any(String));

    await send(engine, 'p-3', 'paced.start');
    await send(engine, 'p-4', 'paced.start');
    // The wait ends, the runs reach the step, and stop there.
    for (const c of ['p-1', 'p-2']) {
      const [run] = await runsOf(engine, c, 'paced');
      await eventually(async () =>
        (await runDetail(engine, run?.id as string)).history.some((h) => h.type === 'run.held'),
      );
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(peer.calls).toBe(0);
    expect(await runsOf(engine, 'p-3', 'paced')).toHaveLength(0);
    const explained = await engine.api('GET', '/api/customers/p-3/explain?workflow=paced');
    expect(explained.body.workflows[0].reasons).toEqual([
      expect.objectContaining({
        code: 'paused',
        records: expect.arrayContaining([expect.objectContaining({ table: 'paused_entries' })]),
      }),
    ]);
    const held = await engine.api('GET', '/api/customers/p-1/explain?workflow=paced');
    expect(held.body.workflows[0].summary).toMatch(
      /held in "mail" before message \(test.record\) because the journey is paused/,
    );
  });

  it('resuming with admit lets the held go on and admits who would have entered', async () => {
    const r = await tend(engine.url, ['resume', 'paced', '--admit', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ wasPaused: true, resumed: 2, waiting: 2, admitted: 2 });
    for (const c of ['p-1', 'p-2'])
      await eventually(async () => (await runsOf(engine, c, 'paced'))[0]?.outcome === 'sent');
    for (const c of ['p-3', 'p-4'])
      await eventually(async () => (await runsOf(engine, c, 'paced'))[0]?.outcome === 'sent');
    expect(peer.keys.size).toBe(4);
    expect([...peer.keys.values()].every((n) => n === 1)).toBe(true);
  });

  it('resuming with skip forgets who would have entered, and explain says so', async () => {
    expect((await tend(engine.url, ['pause', 'paced'])).code).toBe(0);
    await send(engine, 'p-5', 'paced.start');
    await eventually(async () => {
      const e = await engine.api('GET', '/api/customers/p-5/explain?workflow=paced');
      return e.body.workflows[0].reasons.some((x: any) => x.code === 'paused');
    });
    const r = await tend(engine.url, ['resume', 'paced', '--skip']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('1 who would have entered were skipped');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await runsOf(engine, 'p-5', 'paced')).toHaveLength(0);
    const e = await engine.api('GET', '/api/customers/p-5/explain?workflow=paced');
    expect(e.body.workflows[0].reasons[0]).toMatchObject({
      code: 'paused',
      message: expect.stringMatching(/resumed without admitting/),
      records: expect.arrayContaining([expect.objectContaining({ table: 'audit_log' })]),
    });
    // New customers enter again.
    await send(engine, 'p-6', 'paced.start');
    await waiting('p-6');
  });

  it('answers bad requests with 4xx', async () => {
    expect((await engine.api('POST', '/api/workflows/nope/pause', {})).status).toBe(404);
    expect((await engine.api('POST', '/api/workflows/paced/resume', {})).status).toBe(400);
    expect((await engine.api('POST', '/api/workflows/paced/resume', { admit: 'yes' })).status).toBe(400);
    const viewer = await engine.api('POST', '/api/keys', { name: 'watcher', role: 'viewer' });
    expect(
      (await engine.api('POST', '/api/workflows/paced/pause', {}, { key: viewer.body.key })).status,
    ).toBe(403);
    expect((await tend(engine.url, ['resume', 'paced'])).code).toBe(2);
  });
});
