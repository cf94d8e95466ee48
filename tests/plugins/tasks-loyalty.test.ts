import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';
import { type SignedPeer, startSignedPeer } from '../support/signed-peer.ts';

const REMINDER_SECRET = 'reminder-secret-012345';
let engine: TestEngine;
let reminders: SignedPeer;

const followUp = `
id: follow-up
name: Follow up
trigger: { event: follow.up }
start: task
states:
  task:
    steps:
      - id: task
        uses: tasks.create
        with: { title: "Call {{ customer.name }} about {{ event.data.topic }}", due: "{{ event.data.due }}", note: Be kind }
    wait: { event: task.completed, timeout: 7d }
    on:
      task.completed: done
      timeout: done
  done: { end: completed }
`;

const points = `
id: points
name: Points
trigger: { event: points.go }
start: earn
states:
  earn:
    steps:
      - id: earn
        uses: loyalty.award
        with: { points: "{{ event.data.points }}", reason: purchase }
      - id: spend
        uses: loyalty.redeem
        with: { points: 100, reason: coupon }
      - id: again
        uses: loyalty.redeem
        with: { points: 100, reason: coupon }
    choose:
      - when: "customer.loyalty.balance >= 50"
        next: rich
      - next: poor
  rich: { end: rich }
  poor: { end: poor }
`;

beforeAll(async () => {
  reminders = await startSignedPeer(REMINDER_SECRET);
  engine = await startTestEngine({
    TEND_TASK_REMINDER_URL: `${reminders.url}/reminders`,
    TEND_TASK_REMINDER_SECRET: REMINDER_SECRET,
    TEND_BACKGROUND_INTERVAL_SECONDS: '1',
  });
  await publish(engine, followUp);
  await publish(engine, points);
  await engine.api('PUT', '/api/customers/lin', { name: 'Lin', owner: 'sales-wu' });
  await engine.api('PUT', '/api/customers/max', { name: 'Max', owner: 'sales-wu' });
});
afterAll(async () => {
  await engine?.stop();
  await reminders?.close();
});

describe('follow-up tasks', () => {
  it('go to the customer’s owner; completing one sends task.completed to the run, once', async () => {
    await send(engine, 'lin', 'follow.up', { topic: 'the refund', due: '2d' });
    const task = await eventually(async () => {
      const r = await engine.api('GET', '/api/tasks?assignee=sales-wu&status=open');
      return r.body.tasks.find((t: any) => t.customerId === 'lin');
    });
    expect(task).toMatchObject({
      title: 'Call Lin about the refund',
      note: 'Be kind',
      status: 'open',
      overdue: false,
    });
    const done = await engine.api('POST', `/api/tasks/${task.id}/complete`, { outcome: 'refunded' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'refunded', completedBy: 'bootstrap' });
    const run = await waitForRun(engine, 'lin', (r) => r.status === 'completed');
    expect(run.history.some((h) => h.type === 'event.matched' && h.detail.event === 'task.completed')).toBe(
      true,
    );
    expect((await engine.api('POST', `/api/tasks/${task.id}/complete`)).status).toBe(409);
    expect(
      (await engine.api('POST', '/api/tasks/00000000-0000-4000-8000-000000000000/complete')).status,
    ).toBe(404);
    expect((await engine.api('POST', '/api/tasks/not-a-task/complete')).status).toBe(404);
    expect(
      (
        await engine.api('POST', `/api/tasks/${task.id}/complete`, '{oops', {
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect((await engine.api('POST', `/api/tasks/${task.id}/complete`, '{}')).status).toBe(415);
    expect((await engine.api('POST', `/api/tasks/${task.id}/complete`, { mood: 1 })).status).toBe(400);
    expect((await engine.api('GET', '/api/tasks?status=maybe')).status).toBe(400);
  });

  it('remind their assignee once when overdue (signed webhook), recorded in the outbox', async () => {
    await send(engine, 'max', 'follow.up', { topic: 'renewal', due: '1s' });
    const call = await eventually(
      async () => reminders.calls.find((c) => c.body.data?.customerId === 'max'),
      20_000,
    );
    expect(call.validSignature).toBe(true);
    expect(call.body.data).toMatchObject({
      reminder: 'task.overdue',
      assignee: 'sales-wu',
      title: 'Call Max about renewal',
    });
    await new Promise((r) => setTimeout(r, 2500));
    expect(reminders.calls.filter((c) => c.body.data?.customerId === 'max')).toHaveLength(1);
    const outbox = await engine.api('GET', '/api/messages?customer=max');
    expect(outbox.body.messages[0]).toMatchObject({ purpose: 'staff', channel: 'webhook', status: 'sent' });
    const listed = await engine.api('GET', '/api/tasks?assignee=sales-wu&status=open');
    expect(listed.body.tasks.find((t: any) => t.customerId === 'max')).toMatchObject({ overdue: true });
  });
});

describe('loyalty points', () => {
  it('award and redeem once each; a redemption larger than the balance is declined; conditions see customer.loyalty', async () => {
    await send(engine, 'lin', 'points.go', { points: 180 });
    const run = await waitForRun(engine, 'lin', (r) => r.status === 'completed' && !!r.steps.again);
    expect(run.steps.earn).toMatchObject({ status: 'applied', points: 180, balance: 180, tier: 'member' });
    expect(run.steps.spend).toMatchObject({ status: 'applied', balance: 80 });
    expect(run.steps.again).toMatchObject({ status: 'declined', balance: 80 });
    expect(run.outcome).toBe('rich');
    const account = await engine.api('GET', '/api/loyalty/lin');
    expect(account.body).toMatchObject({ balance: 80, earned: 180, tier: 'member' });
    expect(account.body.ledger.map((e: any) => [e.points, e.status, e.balance])).toEqual([
      [-100, 'declined', 80],
      [-100, 'applied', 80],
      [180, 'applied', 180],
    ]);
    const profile = await engine.api('GET', '/api/customers/lin');
    expect(profile.body.loyalty).toEqual({ balance: 80, earned: 180, tier: 'member' });
  });

  it('points earned raise the tier; a bad points value fails the step as the journey’s error', async () => {
    await send(engine, 'max', 'points.go', { points: 1200 });
    const run = await waitForRun(engine, 'max', (r) => r.status === 'completed' && !!r.steps.again);
    expect(run.steps.earn).toMatchObject({ tier: 'silver' });
    await engine.api('PUT', '/api/customers/zed', {});
    await send(engine, 'zed', 'points.go', { points: 'lots' });
    const failed = await waitForRun(engine, 'zed', (r) => r.status === 'failed');
    expect(failed.history.find((h) => h.type === 'step.failed')?.detail.error.code).toBe('invalid_config');
  });
});
