import { localParts, zonedToInstant } from '@tend/plugin-sdk/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../../engine/src/demo/random.ts';
import {
  engineClock,
  eventually,
  startTestEngine,
  TestClock,
  type TestEngine,
  wakeWaitingJobs,
} from '../support/engine.ts';
import { publish, runDetail, runsOf } from '../support/journeys.ts';

/*
 * A synthetic base whose customers each have a known preferred local hour: their opens, clicks
 * and orders of the last two months fall mostly in it (seeded noise around it). Enrolled into a
 * journey with `wait: { bestTime: within 24h }`, each customer's send must land in their hour, in
 * their zone, outside quiet hours; customers with no history land on the base's peak.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
/** Preferred hours, cycled: 20:00 is the base's peak; 23:00 falls in quiet hours. */
const PREFERRED = [20, 9, 20, 12, 19, 20, 8, 23, 20, 17];
const WITH_HISTORY = 50;
const WITHOUT_HISTORY = 10;
const QUIET = { from: 22, to: 7 };
const ENGAGEMENTS = ['message.opened', 'message.clicked', 'order.placed'];

// Minutes past an hour, so "now" is never an hour's start; the engine's clock, so the test holds
// under TEND_CLOCK_OFFSET too.
const start = new Date(Math.floor(engineClock().getTime() / HOUR) * HOUR + 17 * 60_000);
const clock = new TestClock(start.toISOString());
let engine: TestEngine;

interface Customer {
  id: string;
  zone: string;
  preferred: number | null;
}
const customers: Customer[] = Array.from({ length: WITH_HISTORY + WITHOUT_HISTORY }, (_, i) => ({
  id: `bt-${String(i).padStart(2, '0')}`,
  zone: ZONES[i % ZONES.length] as string,
  preferred: i < WITH_HISTORY ? (PREFERRED[i % PREFERRED.length] as number) : null,
}));

const hourIn = (at: Date | string, zone: string) => localParts(new Date(at), zone).hour;
const quiet = (hour: number) => hour >= QUIET.from || hour < QUIET.to;

/** Each customer's engagements: 85 % in their preferred hour, the rest at any hour. */
function history(): { customerId: string; type: string; occurredAt: string; data: object }[] {
  const rng = seeded(20261210);
  const out = [];
  for (const c of customers) {
    if (c.preferred === null) continue;
    const count = rng.int(12, 20);
    for (let k = 0; k < count; k++) {
      const daysAgo = rng.int(1, 60);
      const day = localParts(new Date(start.getTime() - daysAgo * DAY), c.zone);
      const hour = rng.next() < 0.85 ? c.preferred : rng.int(0, 23);
      const at = zonedToInstant({ ...day, hour, minute: rng.int(0, 59) }, c.zone);
      const type = rng.pick(ENGAGEMENTS);
      out.push({ customerId: c.id, type, occurredAt: at.toISOString(), data: { amount: 20 } });
    }
  }
  return out;
}

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' }, { clock });
  const saved = await engine.api(
    'POST',
    '/api/customers/batch',
    customers.map((c) => ({ id: c.id, timezone: c.zone })),
  );
  expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
  const events = await engine.api('POST', '/api/events/batch', history());
  expect(events.status, JSON.stringify(events.body)).toBe(202);
  await publish(
    engine,
    `
id: best-time
name: At each customer's best time
trigger: { event: best.start }
limits:
  quietHours: { from: "${QUIET.from}:00", to: "0${QUIET.to}:00" }
start: wait
states:
  wait:
    wait: { bestTime: within 24h }
    next: hello
  hello:
    steps:
      - id: send
        uses: test.noop
    next: done
  done: { end: completed }
`,
  );
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

describe('wait: { bestTime: within 24h }', () => {
  it("sends each customer's message in their own preferred hour, the base's peak without history", async () => {
    const started = await engine.api(
      'POST',
      '/api/events/batch',
      customers.map((c) => ({ customerId: c.id, type: 'best.start' })),
    );
    expect(started.status).toBe(202);

    // Where each run's timer was set (the wait's choice, with its reason).
    const due = new Map<string, { at: Date; hour: number; basis: string }>();
    for (const c of customers) {
      const run = await eventually(async () => {
        const [latest] = await runsOf(engine, c.id, 'best-time');
        if (!latest) return undefined;
        const detail = await runDetail(engine, latest.id);
        return detail.history.some((h) => h.type === 'timer.set' || h.type === 'step.done')
          ? detail
          : undefined;
      });
      const timer = run.history.find((h) => h.type === 'timer.set');
      due.set(c.id, {
        at: new Date(timer?.detail.dueAt),
        hour: timer?.detail.bestTime.hour,
        basis: timer?.detail.bestTime.basis,
      });
    }

    // Explain says why a waiting customer waits, and for which hour.
    const waiting = customers.find(
      (c) => c.preferred === 20 && (due.get(c.id)?.at.getTime() ?? 0) > start.getTime(),
    );
    expect(waiting).toBeDefined();
    const explained = await engine.api('GET', `/api/customers/${waiting?.id}/explain?workflow=best-time`);
    const reason = (explained.body.workflows[0].reasons as { code: string; message: string }[]).find(
      (r) => r.code === 'in_run',
    );
    expect(reason?.message).toContain(
      `waiting until the best time, 20:00 (their usual hour; ${waiting?.zone})`,
    );

    // Time passes, one due moment after another: each timer fires when the clock reaches it.
    const moments = [...new Set([...due.values()].map((d) => d.at.getTime()))].sort((a, b) => a - b);
    for (const moment of moments) {
      if (moment > clock.now().getTime()) clock.set(new Date(moment + 1000).toISOString());
      await wakeWaitingJobs(engine);
      const landing = customers.filter((c) => due.get(c.id)?.at.getTime() === moment);
      await eventually(async () => {
        for (const c of landing) {
          const [latest] = await runsOf(engine, c.id, 'best-time');
          if (latest?.status !== 'completed') return false;
        }
        return true;
      }, 30_000);
    }

    // When the send step ran, on the engine's clock, in the customer's zone.
    const sentHour = new Map<string, number>();
    for (const c of customers) {
      const [latest] = await runsOf(engine, c.id, 'best-time');
      const run = await runDetail(engine, latest?.id as string);
      const sent = run.history.find((h) => h.type === 'step.done' && h.step === 'send') as
        | { at: string }
        | undefined;
      expect(sent, c.id).toBeDefined();
      const at = new Date((sent as { at: string }).at);
      expect(at.getTime() - start.getTime()).toBeLessThanOrEqual(DAY + 60_000);
      sentHour.set(c.id, hourIn(at, c.zone));
    }

    const reachable = customers.filter((c) => c.preferred !== null && !quiet(c.preferred));
    const inTheirHour = reachable.filter((c) => sentHour.get(c.id) === c.preferred);
    expect(inTheirHour.length / reachable.length).toBeGreaterThanOrEqual(0.9);
    for (const c of inTheirHour) expect(due.get(c.id)?.basis).toBe('usual');

    const newcomers = customers.filter((c) => c.preferred === null);
    for (const c of newcomers) {
      expect(sentHour.get(c.id), c.id).toBe(20);
      expect(due.get(c.id)?.basis).toBe('base');
    }

    for (const c of customers)
      expect(quiet(sentHour.get(c.id) as number), `${c.id} in quiet hours`).toBe(false);
    // Night owls (23:00, quiet) get their best hour outside quiet hours instead.
    const owls = customers.filter((c) => c.preferred === 23);
    expect(owls.length).toBeGreaterThan(0);
    for (const c of owls) expect(due.get(c.id)?.basis).toBe('best');

    // The profile shows the hours the wait learned from, on the customer's clock.
    const profile = (await engine.api('GET', `/api/customers/${customers[0]?.id}`)).body;
    expect(profile.usualHours.zone).toBe(customers[0]?.zone);
    const counts = profile.usualHours.counts as number[];
    expect(counts.indexOf(Math.max(...counts))).toBe(customers[0]?.preferred);
  }, 240_000);
  it("moves an operator's migrated run to the customer's hour as well", async () => {
    const journey = (wait: string) => `
id: best-move
name: Moved to a best-time wait
trigger: { event: best.move }
start: hold
states:
  hold:
    wait: ${wait}
    next: done
  done: { end: completed }
`;
    const from = await publish(engine, journey('{ for: 30d }'));
    const c = customers.find((x) => x.preferred === 9) as Customer;
    const sent = await engine.api('POST', '/api/events', { customerId: c.id, type: 'best.move' });
    expect(sent.status).toBe(202);
    await eventually(async () => {
      const [run] = await runsOf(engine, c.id, 'best-move');
      return run?.phase === 'wait-delay';
    });
    const to = await publish(engine, journey('{ bestTime: within 24h }'));
    const moved = await engine.api('POST', '/api/workflows/best-move/migrate-runs', { from, to });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const [run] = await runsOf(engine, c.id, 'best-move');
    const detail = await runDetail(engine, run?.id as string);
    const migrated = detail.history.findLast((h) => h.type === 'run.migrated');
    expect(hourIn(migrated?.detail.dueAt, c.zone)).toBe(9);
  });
});
