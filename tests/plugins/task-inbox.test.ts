import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineClock, eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';

let engine: TestEngine;
const ZONE = 'Asia/Shanghai';
const WU = 'wu@shop.example';

/** A follow-up call; the journey goes on by the call's outcome, or when the task is snoozed. */
const callBack = `
id: call-back
name: Call back
trigger: { event: call.back }
start: call
states:
  call:
    steps:
      - id: task
        uses: tasks.create
        with: { title: "Call {{ customer.id }}", due: "{{ event.data.due }}" }
    wait: { event: task.completed, timeout: 30d }
    on:
      task.completed:
        - when: 'event.data.outcome == "reached"'
          next: reached
        - next: not-reached
      timeout: not-reached
  reached: { end: reached }
  not-reached: { end: not-reached }
`;

/** The day a moment falls on in the zone, as YYYY-MM-DD (Intl, independent of the plugin's code). */
const dayIn = (at: Date) => at.toLocaleDateString('en-CA', { timeZone: ZONE });

interface Task {
  id: string;
  customerId: string;
  assignee: string;
  dueAt: string;
  status: string;
  outcome: string | null;
  completionNote: string | null;
}

/** After a sale, the journey waits for a visit on record (回访). */
const afterSale = `
id: after-sale
name: After a sale
trigger: { event: order.placed }
start: wait-visit
states:
  wait-visit:
    wait: { event: followup.logged, where: 'event.data.channel == "visit"', timeout: 7d }
    on:
      followup.logged: visited
      timeout: not-visited
  visited: { end: visited }
  not-visited: { end: not-visited }
`;

beforeAll(async () => {
  engine = await startTestEngine({
    TEND_BACKGROUND_INTERVAL_SECONDS: '1',
    // The digest goes out from midnight in the installation's zone: at once, whenever this runs.
    TEND_TASK_DIGEST_HOUR: '0',
    TEND_TIMEZONE: ZONE,
  });
  await publish(engine, callBack);
  await publish(engine, afterSale);
  const due: Record<string, string> = { c1: '1s', c2: '10m', c3: '3d', c4: '5d' };
  for (const [id, d] of Object.entries(due)) {
    await engine.api('PUT', `/api/customers/${id}`, { owner: WU });
    await send(engine, id, 'call.back', { due: d });
  }
  await eventually(async () => {
    const r = await engine.api('GET', `/api/tasks?assignee=${encodeURIComponent(WU)}`);
    return r.body.tasks.length === 4;
  });
  // c1's task falls overdue.
  await new Promise((r) => setTimeout(r, 1200));
});
afterAll(async () => {
  await engine?.stop();
});

const list = async (query: string) => {
  const r = await engine.api('GET', `/api/tasks?${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { tasks: Task[]; next: string | null };
};

describe("a staff member's task inbox", () => {
  it('sorts open tasks into overdue, due today (in the viewer’s zone) and upcoming, with counts', async () => {
    const who = `assignee=${encodeURIComponent(WU)}&tz=${encodeURIComponent(ZONE)}`;
    const overdue = await list(`${who}&due=overdue`);
    const today = await list(`${who}&due=today`);
    const upcoming = await list(`${who}&due=upcoming`);
    expect(overdue.tasks.map((t) => t.customerId)).toEqual(['c1']);
    // c2 is due in ten minutes: today, unless the Shanghai day ends before then.
    const now = engineClock();
    const c2Today = dayIn(new Date(now.getTime() + 10 * 60_000)) === dayIn(now);
    expect(today.tasks.map((t) => t.customerId)).toEqual(c2Today ? ['c2'] : []);
    expect(upcoming.tasks.map((t) => t.customerId)).toEqual(c2Today ? ['c3', 'c4'] : ['c2', 'c3', 'c4']);
    const counts = await engine.api('GET', `/api/tasks/counts?${who}`);
    expect(counts.body).toEqual({ overdue: 1, today: c2Today ? 1 : 0, upcoming: c2Today ? 2 : 3, done: 0 });
    expect((await engine.api('GET', `/api/tasks?${who}&due=soon`)).status).toBe(400);
    const badZone = await engine.api('GET', `/api/tasks?assignee=x&due=today&tz=Mars/Olympus`);
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.message).toMatch(/tz: "Mars\/Olympus" is not an IANA time zone/);
  });

  it('mails each person one digest a day of what is overdue and due today', async () => {
    const staff = `staff:${WU}`;
    const digests = async () =>
      (await engine.api('GET', `/api/messages?customer=${encodeURIComponent(staff)}`)).body.messages as {
        key: string;
        to: string;
        subject: string;
        text: string;
      }[];
    const [digest] = await eventually(async () => ((await digests()).length > 0 ? digests() : undefined));
    expect(digest?.key).toBe(`task-digest:${WU}:${dayIn(engineClock())}`);
    expect(digest?.to).toBe(WU);
    // Sent at the first sweep after the tasks came: c1 (due in a second) is in it, overdue or not
    // yet; the tasks due in days are not.
    expect(digest?.subject).toMatch(/^Your tasks today: [01] overdue, [0-2] due today$/);
    expect(digest?.text).toContain('Call c1');
    expect(digest?.text).not.toContain('Call c3');
    // Due times read in the installation's zone.
    const [c1] = (await list('customer=c1')).tasks;
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: ZONE,
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(c1?.dueAt ?? 0));
    const part = (type: string) => local.find((p) => p.type === type)?.value;
    expect(digest?.text).toContain(`${part('month')} ${part('day')}, ${part('hour')}:${part('minute')}`);
    expect(digest?.text).not.toContain('Call c4');
    // The sweep runs every second: still one.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await digests()).toHaveLength(1);
  });

  it('pages through a list with a cursor, each task once', async () => {
    const seen: string[] = [];
    let after = '';
    for (let page = 0; page < 10; page++) {
      const r = await list(`assignee=${encodeURIComponent(WU)}&status=open&limit=3${after}`);
      seen.push(...r.tasks.map((t) => t.customerId));
      if (!r.next) break;
      after = `&after=${encodeURIComponent(r.next)}`;
    }
    expect(seen).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect((await engine.api('GET', '/api/tasks?after=nonsense')).status).toBe(400);
  });

  it('snoozes and reassigns with a reason, recorded with who and when; refuses either without one', async () => {
    const [c3] = (await list('customer=c3')).tasks;
    if (!c3) throw new Error('no task for c3');
    expect((await engine.api('POST', `/api/tasks/${c3.id}/snooze`, { for: '2d' })).status).toBe(400);
    const both = await engine.api('POST', `/api/tasks/${c3.id}/snooze`, {
      for: '2d',
      until: '2030-01-01T00:00:00Z',
      reason: 'x',
    });
    expect(both.status).toBe(400);
    const past = await engine.api('POST', `/api/tasks/${c3.id}/snooze`, {
      until: '2000-01-01T00:00:00Z',
      reason: 'x',
    });
    expect(past.status).toBe(400);
    const snoozed = await engine.api('POST', `/api/tasks/${c3.id}/snooze`, {
      for: '5d',
      reason: 'Customer is travelling',
    });
    expect(snoozed.status).toBe(200);
    expect(new Date(snoozed.body.dueAt).getTime()).toBeGreaterThan(new Date(c3.dueAt).getTime());
    const moved = await engine.api('POST', `/api/tasks/${c3.id}/reassign`, {
      assignee: 'li@shop.example',
      reason: 'Li handles travel customers',
    });
    expect(moved.body).toMatchObject({ assignee: 'li@shop.example' });
    const detail = await engine.api('GET', `/api/tasks/${c3.id}`);
    expect(detail.body.changes).toMatchObject([
      { kind: 'snoozed', from: c3.dueAt, to: snoozed.body.dueAt, reason: 'Customer is travelling' },
      { kind: 'reassigned', from: WU, to: 'li@shop.example', reason: 'Li handles travel customers' },
    ]);
    expect((await list(`assignee=li%40shop.example`)).tasks.map((t) => t.customerId)).toEqual(['c3']);
    // The customer's journey hears of both (it may wait for them).
    const run = await waitForRun(engine, 'c3', (r) =>
      ['task.snoozed', 'task.reassigned'].every((type) =>
        r.history.some((h) => h.type === 'event.ignored' && h.detail?.event === type),
      ),
    );
    expect(run.status).toBe('active');
  });

  it('completes with an outcome and a note; the journey branches on the outcome', async () => {
    const [c1] = (await list('customer=c1')).tasks;
    const [c2] = (await list('customer=c2')).tasks;
    if (!c1 || !c2) throw new Error('no tasks');
    const done = await engine.api('POST', `/api/tasks/${c1.id}/complete`, {
      outcome: 'reached',
      note: 'Happy with the repair',
    });
    expect(done.body).toMatchObject({
      status: 'done',
      outcome: 'reached',
      completionNote: 'Happy with the repair',
    });
    await engine.api('POST', `/api/tasks/${c2.id}/complete`, { outcome: 'no answer' });
    expect((await waitForRun(engine, 'c1', (r) => r.status === 'completed')).outcome).toBe('reached');
    expect((await waitForRun(engine, 'c2', (r) => r.status === 'completed')).outcome).toBe('not-reached');
    expect((await engine.api('POST', `/api/tasks/${c1.id}/snooze`, { for: '1d', reason: 'x' })).status).toBe(
      409,
    );
    const doneList = await list(`assignee=${encodeURIComponent(WU)}&status=done`);
    expect(doneList.tasks.map((t) => t.customerId)).toEqual(['c2', 'c1']);
    // On the customer's timeline, with the note.
    const profile = await engine.api('GET', '/api/customers/c1');
    const entry = profile.body.timeline.find((e: { kind: string }) => e.kind === 'task');
    expect(entry.detail).toMatchObject({ outcome: 'reached', completionNote: 'Happy with the repair' });
  });

  it('"me" is the signed-in person', async () => {
    const password = 'a long enough password 1';
    expect(
      (await engine.api('POST', '/api/users', { email: WU, name: 'Wu', role: 'operator', password })).status,
    ).toBe(201);
    const session = await fetch(`${engine.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: WU, password }),
    });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const mine = await fetch(`${engine.url}/api/tasks?assignee=me&status=open`, { headers: { cookie } });
    const body = (await mine.json()) as { tasks: Task[] };
    expect(body.tasks.map((t) => t.customerId)).toEqual(['c4']);
  });
});

describe('follow-ups on record (回访)', () => {
  it('logs a call or a visit with its outcome; a journey waits for the visit; a next date makes a task', async () => {
    await engine.api('PUT', '/api/customers/v1', { owner: WU });
    await send(engine, 'v1', 'order.placed', { amount: 120 });
    await waitForRun(engine, 'v1', (r) => r.state === 'wait-visit');
    const call = await engine.api('POST', '/api/tasks/followups', {
      customerId: 'v1',
      channel: 'call',
      outcome: 'no-answer',
    });
    expect(call.status).toBe(201);
    const nextDue = new Date(engineClock().getTime() + 3 * 86_400_000).toISOString();
    const visit = await engine.api('POST', '/api/tasks/followups', {
      customerId: 'v1',
      channel: 'visit',
      outcome: 'satisfied',
      note: 'Installed the new filter; asked about the warranty',
      next: { dueAt: nextDue, title: 'Check the filter works', assignee: WU },
    });
    expect(visit.status).toBe(201);
    expect(visit.body).toMatchObject({ channel: 'visit', outcome: 'satisfied', by: expect.any(String) });
    // The call did not move the journey; the visit did.
    const run = await waitForRun(engine, 'v1', (r) => r.status === 'completed');
    expect(run.outcome).toBe('visited');
    const [next] = (await list('customer=v1')).tasks;
    expect(next).toMatchObject({
      title: 'Check the filter works',
      assignee: WU,
      dueAt: nextDue,
      status: 'open',
    });
    expect(visit.body.nextTaskId).toBe(next?.id);
    const logged = await engine.api('GET', '/api/tasks/followups?customer=v1');
    expect(logged.body.followups.map((f: { channel: string }) => f.channel)).toEqual(['visit', 'call']);
    const timeline = (await engine.api('GET', '/api/customers/v1')).body.timeline as {
      kind: string;
      summary?: { en: string };
    }[];
    expect(timeline.filter((e) => e.kind === 'followup').map((e) => e.summary?.en)).toEqual([
      expect.stringMatching(/^visit by .+: satisfied — Installed the new filter/),
      expect.stringMatching(/^call by .+: no-answer$/),
    ]);
  });

  it('refuses what is wrong and stores nothing', async () => {
    const post = (body: unknown) => engine.api('POST', '/api/tasks/followups', body);
    expect((await post({ customerId: 'v1', channel: 'fax', outcome: 'x' })).status).toBe(400);
    expect((await post({ customerId: 'v1', channel: 'call' })).status).toBe(400);
    expect((await post({ customerId: 'nobody', channel: 'call', outcome: 'x' })).status).toBe(404);
    const past = await post({
      customerId: 'v1',
      channel: 'call',
      outcome: 'x',
      next: { dueAt: '2001-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/next\.dueAt/);
    expect((await engine.api('GET', '/api/tasks/followups')).status).toBe(400);
    expect((await engine.api('GET', '/api/tasks/followups?customer=v1')).body.followups).toHaveLength(2);
  });
});
