import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, launchBrowser, type TestBrowser } from '../support/browser.ts';
import { ADMIN, startEditorEngine } from '../support/editor-page.ts';
import { eventually, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

/*
 * Store staff finish their follow-up calls in the browser: the inbox lists what is overdue and
 * due today, completing a task with its outcome moves the customer's journey on, and a snooze
 * needs a reason. Before this screen, a journey waiting for task.completed moved only by curl.
 */
let engine: TestEngine;
let browser: TestBrowser;
let page: Page;

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
        with: { title: "Call {{ customer.id }} about the repair", due: "{{ event.data.due }}" }
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

describe.runIf(browserAvailable())('the task inbox in the editor', () => {
  beforeAll(async () => {
    engine = await startEditorEngine();
    await publish(engine, callBack);
    for (const [id, due] of [
      ['zhang-wei', '1s'],
      ['li-na', '2d'],
    ] as const) {
      await engine.api('PUT', `/api/customers/${id}`, { owner: ADMIN.email });
      await send(engine, id, 'call.back', { due });
    }
    await eventually(async () => (await engine.api('GET', '/api/tasks')).body.tasks.length === 2);
    await new Promise((r) => setTimeout(r, 1100));
    browser = await launchBrowser(engine.url);
    expect(
      (await browser.context.request.post('/api/setup', { data: { ...ADMIN, name: 'Ada' } })).status(),
    ).toBe(201);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('lists my overdue task; completing it with an outcome moves the journey on', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    const row = page.getByRole('row', { name: /Call zhang-wei about the repair/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('overdue');
    expect(await page.getByRole('tab', { name: /Overdue/ }).textContent()).toContain('1');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: 'Complete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reached the customer').check();
    await dialog.getByLabel('Note').fill('Happy with the repair');
    await dialog.getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('status').waitFor();
    await expect.poll(() => row.count()).toBe(0);
    await eventually(async () => (await runsOf(engine, 'zhang-wei', 'call-back'))[0]?.outcome === 'reached');
    const done = (await engine.api('GET', '/api/tasks?customer=zhang-wei')).body.tasks[0];
    expect(done).toMatchObject({
      status: 'done',
      outcome: 'reached',
      completionNote: 'Happy with the repair',
    });
  });

  it('snoozes an upcoming task to tomorrow morning only with a reason', async () => {
    await page.getByRole('tab', { name: /Upcoming/ }).click();
    const row = page.getByRole('row', { name: /Call li-na/ });
    await row.getByRole('button', { name: 'Snooze' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Tomorrow 9:00' }).click();
    await dialog.getByRole('button', { name: 'Snooze' }).click();
    // The reason is required: the browser keeps the dialog open and nothing is sent.
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Reason').fill('Customer asked to be called tomorrow');
    await dialog.getByRole('button', { name: 'Snooze' }).click();
    await page.getByRole('status').filter({ hasText: 'Snooze' }).waitFor();
    const task = (await engine.api('GET', '/api/tasks?customer=li-na')).body.tasks[0];
    const detail = (await engine.api('GET', `/api/tasks/${task.id}`)).body;
    expect(detail.changes).toMatchObject([
      { kind: 'snoozed', reason: 'Customer asked to be called tomorrow' },
    ]);
    // 9:00 on the browser's wall clock (the test browser runs in the machine's zone).
    const nine = new Date(task.dueAt);
    expect(nine.getHours()).toBe(9);
    expect(nine.getMinutes()).toBe(0);
  });

  it('opens the customer, whose profile shows their tasks and timeline', async () => {
    await page.getByRole('link', { name: 'li-na' }).click();
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.getByRole('row', { name: /Call li-na/ }).count()).toBe(1);
  });

  it('logs a visit on the profile (回访), planning the next follow-up as a task', async () => {
    const form = page.getByRole('form', { name: 'Log a follow-up' });
    await form.getByLabel('How').selectOption('visit');
    await form.getByLabel('Outcome').selectOption('resolved');
    await form.getByLabel(/Next follow-up/).fill('2030-01-15T10:30');
    await form.getByLabel('What to do then').fill('Ask how the repair holds up');
    await form.getByLabel('Note').fill('Replaced the seal');
    await form.getByRole('button', { name: 'Log a follow-up' }).click();
    await form.getByRole('status').waitFor();
    const row = page.getByRole('row', { name: /Visit.*Resolved.*Replaced the seal/ });
    await row.waitFor();
    const logged = (await engine.api('GET', '/api/tasks/followups?customer=li-na')).body.followups;
    expect(logged).toMatchObject([{ channel: 'visit', outcome: 'resolved', note: 'Replaced the seal' }]);
    const next = (await engine.api('GET', `/api/tasks?customer=li-na&status=open`)).body.tasks;
    expect(next.map((t: { title: string }) => t.title)).toContain('Ask how the repair holds up');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('speaks Chinese', async () => {
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('link', { name: '任务' }).click();
    await page.getByRole('heading', { name: '我的任务' }).waitFor();
    expect(await page.getByRole('tab', { name: /已逾期/ }).count()).toBe(1);
    expect(await page.getByRole('tab', { name: /已完成/ }).count()).toBe(1);
    await page.getByRole('tab', { name: /已完成/ }).click();
    await page.getByRole('tab', { name: /即将到期/ }).click();
    await page.getByRole('link', { name: 'li-na' }).first().click();
    await page.getByRole('heading', { name: '回访记录' }).waitFor();
  });
});
