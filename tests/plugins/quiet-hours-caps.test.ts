import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine, wakeWaitingJobs } from '../support/engine.ts';
import { publish, runDetail, runsOf, send } from '../support/journeys.ts';

const HOUR = 3_600_000;
let offset = 0;
let engine: TestEngine;

/** The engine's clock: real time shifted by `offset` (timers still run on real time). */
const now = () => new Date(Date.now() + offset);

const journey = (id: string, limits: string) => `
id: ${id}
name: ${id}
trigger: { event: ${id}.go }
entry: { reenter: always }
limits: ${limits}
start: mail
states:
  mail:
    steps:
      - id: mail
        uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`;

const person = (id: string, timezone: string) =>
  engine.api('PUT', `/api/customers/${id}`, {
    email: `${id}@example.com`,
    timezone,
    consent: { email: 'granted' },
  });
const messages = async (customer: string) =>
  (await engine.api('GET', `/api/messages?customer=${customer}`)).body.messages as any[];

beforeAll(async () => {
  engine = await startTestEngine({}, { now });
  await publish(engine, journey('quiet', '{ quietHours: { from: "21:00", to: "08:00" } }'));
  await publish(engine, journey('cap-a', '{ frequencyCap: { messages: 2, per: 7d } }'));
  await publish(engine, journey('cap-b', '{ frequencyCap: { messages: 2, per: 7d } }'));
});
afterAll(async () => {
  await engine?.stop();
});

describe('quiet hours, in each customer’s time zone', () => {
  it('defers a send until the window ends locally; others send at once', async () => {
    // 15:30 UTC a day or two ago: 23:30 in Shanghai (quiet), 11:30 in New York (not quiet).
    const fake = new Date();
    fake.setUTCHours(15, 30, 0, 0);
    fake.setTime(fake.getTime() - 24 * HOUR - (fake.getTime() > Date.now() ? 24 * HOUR : 0));
    offset = fake.getTime() - Date.now();
    await person('sh', 'Asia/Shanghai');
    await person('ny', 'America/New_York');
    await send(engine, 'ny', 'quiet.go');
    await send(engine, 'sh', 'quiet.go');

    const [ny] = await eventually(async () =>
      (await messages('ny'))[0]?.status === 'sent' ? messages('ny') : undefined,
    );
    expect(ny?.provider).toBe('devbox');
    const deferred = await eventually(async () =>
      (await messages('sh')).find((m) => m.status === 'deferred'),
    );
    // 08:00 the next morning in Shanghai is 00:00 UTC.
    const until = new Date(fake);
    until.setUTCDate(until.getUTCDate() + 1);
    until.setUTCHours(0, 0, 0, 0);
    expect(deferred).toMatchObject({ reason: 'quiet_hours', deferredUntil: until.toISOString() });
    const [run] = await runsOf(engine, 'sh', 'quiet');
    const history = (await runDetail(engine, run?.id as string)).history;
    expect(history.find((h) => h.type === 'step.deferred')?.detail.until).toBe(until.toISOString());

    // Morning comes in Shanghai: the deferred step runs again and sends.
    offset += 9 * HOUR;
    await wakeWaitingJobs(engine);
    const sent = await eventually(
      async () => (await messages('sh')).find((m) => m.status === 'sent'),
      30_000,
    );
    expect(new Date(sent.sentAt).getTime()).toBeGreaterThanOrEqual(until.getTime());
    expect((await messages('sh')).length).toBe(1);
    const done = await eventually(async () => {
      const [r] = await runsOf(engine, 'sh', 'quiet');
      return r?.status === 'completed' ? r : undefined;
    });
    expect(done.outcome).toBe('done');
  }, 60_000);
});

describe('frequency caps across journeys', () => {
  it('counts a customer’s messages from every journey in a rolling window; over the cap is skipped', async () => {
    offset = -8 * 24 * HOUR;
    await person('tokyo', 'Asia/Tokyo');
    await person('la', 'America/Los_Angeles');
    await send(engine, 'tokyo', 'cap-a.go');
    await eventually(async () => (await messages('tokyo')).length === 1);

    offset = 0; // eight days later: the first message is outside the 7-day window
    const sendAndWait = async (customer: string, type: string, count: number) => {
      await send(engine, customer, type);
      await eventually(
        async () => (await messages(customer)).filter((m) => m.status !== 'pending').length === count,
      );
    };
    await sendAndWait('tokyo', 'cap-b.go', 2);
    await sendAndWait('tokyo', 'cap-a.go', 3);
    await sendAndWait('tokyo', 'cap-b.go', 4);
    await sendAndWait('la', 'cap-b.go', 1);

    const tokyo = (await messages('tokyo')).reverse();
    expect(tokyo.map((m) => [m.workflowId, m.status, m.reason])).toEqual([
      ['cap-a', 'sent', null],
      ['cap-b', 'sent', null],
      ['cap-a', 'sent', null],
      ['cap-b', 'skipped', 'frequency_cap'],
    ]);
    expect(tokyo[3]?.detail).toMatch(/^2 messages since .* \(cap 2\)$/);
    expect((await messages('la'))[0]).toMatchObject({ status: 'sent' });
    // The skipped send does not stop the journey: the run completes with the reason as output.
    const runs = await runsOf(engine, 'tokyo', 'cap-b');
    const last = await runDetail(engine, runs[0]?.id as string);
    expect(last.steps.mail).toMatchObject({ status: 'skipped', reason: 'frequency_cap' });
  }, 60_000);
});
