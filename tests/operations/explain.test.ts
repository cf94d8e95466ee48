import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tend } from '../support/cli.ts';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

/* One journey per reason, each started by its own event type; messages go to the dev mailbox. */
const hh = (offsetHours: number) =>
  `${String((new Date().getUTCHours() + 24 + offsetHours) % 24).padStart(2, '0')}:00`;
const JOURNEYS = [
  `
id: big-spenders
name: Big spenders
trigger: { event: order.placed, where: 'event.data.amount > 100' }
start: thank
states:
  thank: { end: thanked }
`,
  `
id: once
name: Once only
trigger: { event: visit.once }
entry: { reenter: never }
start: done
states:
  done: { end: seen }
`,
  `
id: long-wait
name: Long wait
trigger: { event: wait.start }
entry: { reenter: always }
start: hold
states:
  hold:
    wait: { event: never.happens, timeout: 30d }
    on: { never.happens: done, timeout: done }
  done: { end: over }
`,
  `
id: goal
name: Goal
trigger: { event: goal.start }
exit:
  - { event: goal.bought, outcome: bought }
start: hold
states:
  hold:
    wait: { for: 30d }
    next: done
  done: { end: waited }
`,
  `
id: mail-consent
name: Mail needing consent
trigger: { event: mail.consent }
start: send
states:
  send:
    steps:
      - id: welcome
        uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`,
  `
id: mail-quiet
name: Mail in quiet hours
trigger: { event: mail.quiet }
limits:
  quietHours: { from: "${hh(-1)}", to: "${hh(2)}" }
start: send
states:
  send:
    steps:
      - id: welcome
        uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`,
  `
id: mail-capped
name: Two mails, one allowed
trigger: { event: mail.capped }
limits:
  frequencyCap: { messages: 1, per: 7d }
start: send
states:
  send:
    steps:
      - id: first
        uses: messaging.send
        with: { channel: email, template: welcome }
      - id: second
        uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`,
  `
id: failing
name: Failing step
trigger: { event: fail.start }
start: work
states:
  work:
    steps:
      - id: charge
        uses: test.fail
        with: { code: card_declined }
        onError: continue
    end: done
`,
];

let engine: TestEngine;

async function explain(customer: string, workflow: string) {
  const r = await engine.api('GET', `/api/customers/${customer}/explain?workflow=${workflow}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.workflows[0] as {
    summary: string;
    reasons: { code: string; message: string; records: { table: string; id: string }[] }[];
  };
}
const reason = async (customer: string, workflow: string, code: string) =>
  eventually(async () => (await explain(customer, workflow)).reasons.find((r) => r.code === code));

beforeAll(async () => {
  engine = await startTestEngine({ TEND_TIMEZONE: 'UTC' });
  for (const yaml of JOURNEYS) await publish(engine, yaml);
  for (const id of ['x-mail', 'x-quiet', 'x-capped'])
    await engine.api('PUT', `/api/customers/${id}`, {
      name: 'Ada',
      email: `${id}@example.com`,
      timezone: 'UTC',
      locale: 'en',
      consent: { email: id === 'x-mail' ? 'withdrawn' : 'granted' },
    });
});
afterAll(async () => {
  await engine?.stop();
});

describe('explain', () => {
  it('trigger filter false: names the event and the expression', async () => {
    const e = await send(engine, 'x-filter', 'order.placed', { amount: 50 });
    const r = await reason('x-filter', 'big-spenders', 'trigger_filter');
    expect(r.message).toMatch(
      /order\.placed of .* did not start a run: the trigger's filter `event\.data\.amount > 100` was false/,
    );
    expect(r.records).toContainEqual(
      expect.objectContaining({ table: 'events', id: e.id ?? e.ids?.[0] ?? expect.any(String) }),
    );
    expect((await explain('x-filter', 'big-spenders')).summary).toMatch(/^Not in this journey/);
  });

  it('re-entry blocked: cites the earlier run', async () => {
    await send(engine, 'x-once', 'visit.once');
    await eventually(async () => (await runsOf(engine, 'x-once', 'once'))[0]?.status === 'completed');
    await send(engine, 'x-once', 'visit.once');
    const r = await reason('x-once', 'once', 'reentry_blocked');
    const [run] = await runsOf(engine, 'x-once', 'once');
    expect(r.message).toMatch(/re-entry is "never" and the customer entered on/);
    expect(r.records).toContainEqual({ table: 'runs', id: run?.id });
  });

  it('already in a run: says where the customer was', async () => {
    await send(engine, 'x-busy', 'wait.start');
    await eventually(async () => (await runsOf(engine, 'x-busy', 'long-wait'))[0]?.phase === 'wait-event');
    await send(engine, 'x-busy', 'wait.start');
    const r = await reason('x-busy', 'long-wait', 'already_in_run');
    expect(r.message).toMatch(/was already in one \(started .*, in "hold"\)/);
    const e = await explain('x-busy', 'long-wait');
    expect(e.summary).toMatch(/is in "hold" of v1 since .*, waiting for never\.happens until/);
  });

  it('exit goal reached: names the event and the outcome', async () => {
    await send(engine, 'x-goal', 'goal.start');
    await eventually(async () => (await runsOf(engine, 'x-goal', 'goal'))[0]?.phase === 'wait-delay');
    const bought = await send(engine, 'x-goal', 'goal.bought');
    const r = await reason('x-goal', 'goal', 'exit_goal');
    expect(r.message).toBe(
      'left the journey in "hold" because goal.bought reached its exit goal (outcome "bought")',
    );
    expect(r.records.map((x) => x.table)).toEqual(['runs', 'run_history', 'events']);
    expect(r.records.at(-1)?.id).toBe(bought.id);
  });

  it('no consent: the skipped message and the consent behind it', async () => {
    await send(engine, 'x-mail', 'mail.consent');
    const r = await reason('x-mail', 'mail-consent', 'no_consent');
    expect(r.message).toMatch(
      /did not get the email "welcome" message: no consent \(email consent withdrawn/,
    );
    expect(r.records[0]?.table).toBe('outbox');
  });

  it('quiet hours: the message is held until the quiet hours end', async () => {
    await send(engine, 'x-quiet', 'mail.quiet');
    const r = await reason('x-quiet', 'mail-quiet', 'quiet_hours');
    expect(r.message).toMatch(/the email "welcome" message is held by quiet hours until \d{4}-.*Z/);
  });

  it('frequency cap: the second message is skipped', async () => {
    await send(engine, 'x-capped', 'mail.capped');
    const r = await reason('x-capped', 'mail-capped', 'frequency_cap');
    expect(r.message).toMatch(/did not get the email "welcome" message: the frequency cap was reached/);
    expect((await explain('x-capped', 'mail-capped')).reasons.map((x) => x.code)).toContain('message_sent');
  });

  it('step failed: which step, and why', async () => {
    await send(engine, 'x-fail', 'fail.start');
    const r = await reason('x-fail', 'failing', 'step_failed');
    expect(r.message).toMatch(
      /step charge \(test\.fail\) in "work" failed: card_declined: failed on purpose/,
    );
    expect(r.records[0]?.table).toBe('run_history');
  });

  it('a journey the customer never met, and the CLI in plain words', async () => {
    const never = await explain('x-filter', 'goal');
    expect(never.summary).toMatch(
      /never entered: the journey starts on a goal\.start event, and no goal\.start event was recorded/i,
    );
    const cli = await tend(engine.url, ['explain', 'x-goal', 'goal']);
    expect(cli.code, cli.err).toBe(0);
    expect(cli.out).toContain('goal (Goal)');
    expect(cli.out).toMatch(
      /- .* left the journey in "hold" because goal\.bought reached its exit goal .*\[runs:.*, run_history:.*, events:.*\]/,
    );
    expect((await engine.api('GET', '/api/customers/nobody/explain')).status).toBe(404);
    expect((await engine.api('GET', '/api/customers/x-goal/explain?workflow=nope')).status).toBe(404);
  });
});
