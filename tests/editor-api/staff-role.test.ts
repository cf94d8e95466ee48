import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

/*
 * A staff member (sales or service) sees only the customers they own, and through them their
 * tasks and complaints. Every way to another's customer is tried: by id, by list filter, by
 * email search, by export, through a task, a complaint, a follow-up, the complaint form link and
 * the points panel; and everything else (journeys, segments, the outbox, settings) is closed.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let engine: TestEngine;
const MEI = {
  email: 'mei@shop.example',
  password: 'a long passphrase 1',
  role: 'staff',
  name: 'Mei',
  team: 'east',
};
const LIN = {
  email: 'lin@shop.example',
  password: 'a long passphrase 2',
  role: 'staff',
  name: 'Lin',
  team: 'west',
};
// Zhang leads the east team (Mei's), so sees Mei's customers too; not Lin's.
const ZHANG = {
  email: 'zhang@shop.example',
  password: 'a long passphrase 3',
  role: 'staff',
  name: 'Zhang',
  team: 'east',
  teamLead: true,
};
const ids: Record<string, string> = {};

/** A person in a browser: keeps the session cookie, sends its CSRF token. */
function signedIn() {
  let cookie = '';
  let csrf = '';
  return async (method: string, route: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${engine.url}${route}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {}
    if (json?.csrfToken) csrf = json.csrfToken;
    return { status: res.status, body: json };
  };
}
let mei: ReturnType<typeof signedIn>;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_WORKFLOWS_DIR: path.join(root, 'workflows') });
  for (const person of [MEI, LIN, ZHANG])
    expect((await engine.api('POST', '/api/users', person)).status).toBe(201);
  for (const [id, owner] of [
    ['c-mei', MEI.email],
    ['c-lin', LIN.email],
  ] as const) {
    await engine.api('PUT', `/api/customers/${id}`, {
      email: `${id}@example.com`,
      owner,
      consent: { email: 'granted' },
    });
    const followup = await engine.api('POST', '/api/tasks/followups', {
      customerId: id,
      channel: 'call',
      outcome: 'reached',
      next: { dueAt: new Date(engine.services.now().getTime() + 86_400_000).toISOString(), assignee: owner },
    });
    expect(followup.status).toBe(201);
    ids[`task-${id}`] = followup.body.nextTaskId;
    const complaint = await engine.api('POST', '/api/complaints', {
      customerId: id,
      category: 'product',
      description: `complaint of ${id}`,
    });
    expect(complaint.status).toBe(201);
    ids[`complaint-${id}`] = complaint.body.id;
  }
  mei = signedIn();
  expect((await mei('POST', '/api/session', { email: MEI.email, password: MEI.password })).status).toBe(200);
});
afterAll(async () => {
  await engine?.stop();
});

describe('a team lead', () => {
  it('sees what the team’s members own, and no other team’s', async () => {
    const zhang = signedIn();
    expect(
      (await zhang('POST', '/api/session', { email: ZHANG.email, password: ZHANG.password })).status,
    ).toBe(200);
    expect((await zhang('GET', '/api/customers')).body.customers.map((c: any) => c.id)).toEqual(['c-mei']);
    expect((await zhang('GET', '/api/customers/c-lin')).status).toBe(404);
    expect((await zhang('GET', '/api/tasks')).body.tasks.map((t: any) => t.customerId)).toEqual(['c-mei']);
    expect((await zhang('GET', `/api/complaints/${ids['complaint-c-mei']}`)).status).toBe(200);
    expect((await zhang('GET', `/api/complaints/${ids['complaint-c-lin']}`)).status).toBe(404);
    // A lead needs a team.
    const teamless = await engine.api('POST', '/api/users', {
      ...ZHANG,
      email: 'x@shop.example',
      team: undefined,
    });
    expect(teamless.status).toBe(400);
  });
});

describe('a staff member', () => {
  it('finds only their own customers: by id, in lists, by search', async () => {
    expect((await mei('GET', '/api/customers/c-mei')).status).toBe(200);
    expect((await mei('GET', '/api/customers/c-lin')).status).toBe(404);
    const list = await mei('GET', '/api/customers');
    expect(list.body.customers.map((c: any) => c.id)).toEqual(['c-mei']);
    expect((await mei('GET', `/api/customers?owner=${LIN.email}`)).body.customers).toEqual([]);
    expect((await mei('GET', '/api/customers?email=c-lin@example.com')).body.customers).toEqual([]);
    expect((await mei('GET', '/api/customers?email=c-mei@example.com')).body.customers).toHaveLength(1);
  });

  it('cannot export, edit or erase customers, nor reach journeys, segments, messages or settings', async () => {
    for (const [method, route] of [
      ['GET', '/api/customers/c-mei/export'],
      ['GET', '/api/customers/c-lin/export'],
      ['PUT', '/api/customers/c-lin'],
      ['DELETE', '/api/customers/c-lin'],
      ['GET', '/api/workflows'],
      ['POST', '/api/workflows'],
      ['GET', '/api/segments'],
      ['POST', '/api/segments'],
      ['GET', '/api/messages'],
      ['GET', '/api/runs'],
      ['GET', '/api/overview'],
      ['GET', '/api/users'],
      ['GET', '/api/keys'],
      ['GET', '/api/complaints/figures'],
      ['GET', '/api/surveys'],
    ] as const) {
      const r = await mei(method, route, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(r.status, `${method} ${route}`).toBe(403);
    }
  });

  it('sees and works only their own tasks', async () => {
    const tasks = await mei('GET', '/api/tasks');
    expect(tasks.body.tasks.map((t: any) => t.customerId)).toEqual(['c-mei']);
    expect((await mei('GET', `/api/tasks?assignee=${LIN.email}`)).body.tasks).toEqual([]);
    expect((await mei('GET', `/api/tasks?customer=c-lin`)).body.tasks).toEqual([]);
    expect((await mei('GET', '/api/tasks/counts')).body.upcoming).toBe(1);
    expect((await mei('GET', `/api/tasks/${ids['task-c-lin']}`)).status).toBe(404);
    expect((await mei('POST', `/api/tasks/${ids['task-c-lin']}/complete`, {})).status).toBe(404);
    expect(
      (
        await mei('POST', `/api/tasks/${ids['task-c-lin']}/reassign`, {
          assignee: MEI.email,
          reason: 'mine now',
        })
      ).status,
    ).toBe(404);
    expect(
      (await mei('POST', `/api/tasks/${ids['task-c-mei']}/complete`, { outcome: 'reached' })).status,
    ).toBe(200);
    expect((await mei('GET', '/api/tasks/followups?customer=c-lin')).status).toBe(404);
    expect(
      (
        await mei('POST', '/api/tasks/followups', {
          customerId: 'c-lin',
          channel: 'call',
          outcome: 'reached',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await mei('POST', '/api/tasks/followups', {
          customerId: 'c-mei',
          channel: 'visit',
          outcome: 'reached',
        })
      ).status,
    ).toBe(201);
    expect((await mei('GET', '/api/loyalty/c-lin')).status).toBe(404);
    expect((await mei('GET', '/api/loyalty/c-mei')).status).toBe(200);
  });

  it('sees and handles only their own complaints', async () => {
    const list = await mei('GET', '/api/complaints');
    expect(list.body.complaints.map((c: any) => c.customerId)).toEqual(['c-mei']);
    expect((await mei('GET', `/api/complaints?owner=${LIN.email}`)).body.complaints).toEqual([]);
    expect((await mei('GET', '/api/complaints?customer=c-lin')).body.complaints).toEqual([]);
    expect((await mei('GET', `/api/complaints/${ids['complaint-c-lin']}`)).status).toBe(404);
    expect((await mei('POST', `/api/complaints/${ids['complaint-c-lin']}/acknowledge`, {})).status).toBe(404);
    expect((await mei('GET', '/api/complaints/form-link?customer=c-lin')).status).toBe(404);
    expect(
      (await mei('POST', '/api/complaints', { customerId: 'c-lin', category: 'product', description: 'x' }))
        .status,
    ).toBe(404);
    expect((await mei('POST', `/api/complaints/${ids['complaint-c-mei']}/acknowledge`, {})).status).toBe(200);
    // Staff are people: no API key carries the role.
    expect((await engine.api('POST', '/api/keys', { name: 'desk', role: 'staff' })).status).toBe(400);
    // The admin still sees everyone's.
    expect((await engine.api('GET', '/api/complaints')).body.complaints).toHaveLength(2);
    expect((await engine.api('GET', '/api/customers')).body.customers).toHaveLength(2);
  });
});
