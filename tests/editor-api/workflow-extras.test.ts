import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send } from '../support/journeys.ts';

let engine: TestEngine;
let site: string;
let library: string;

const JOURNEY = `# a commented journey
id: extras
name: Extras
stage: retain
trigger: { event: joined }
exit:
  - event: order.placed
    outcome: converted
start: hello
states:
  hello:
    steps:
      - id: greet
        uses: test.noop
        with: { subject: 'Hi {{ customer.id }}' }
    wait: { event: clicked, timeout: 2d }
    on:
      clicked: vip-check
      timeout: done
  vip-check:
    choose:
      - when: 'customer.attributes.vip == true'
        next: vip
      - next: done
  vip: { end: vip }
  done: { end: completed }
`;

beforeAll(async () => {
  site = await mkdtemp(path.join(tmpdir(), 'tend-site-'));
  await mkdir(path.join(site, 'assets'));
  await writeFile(path.join(site, 'index.html'), '<!doctype html><title>Tend editor</title>');
  await writeFile(path.join(site, 'assets', 'app-1234.js'), 'console.log(1)');
  library = await mkdtemp(path.join(tmpdir(), 'tend-lib-'));
  for (const folder of ['templates/email', 'templates/sms', 'templates/layouts', 'surveys'])
    await mkdir(path.join(library, folder), { recursive: true });
  await writeFile(
    path.join(library, 'templates/email/welcome.en.mjml'),
    "---\nsubject: 'Welcome, {{ customer.name }}'\n---\n<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>\n",
  );
  await writeFile(path.join(library, 'templates/sms/welcome.zh-CN.liquid'), '你好');
  await writeFile(path.join(library, 'templates/layouts/default.mjml'), '<mjml><mj-body></mj-body></mjml>');
  await writeFile(
    path.join(library, 'surveys', 'nps.yaml'),
    'id: nps\ntitle: How likely are you to recommend us?\n',
  );
  engine = await startTestEngine({ TEND_EDITOR_DIR: site, TEND_WORKFLOWS_DIR: library });
});
afterAll(async () => {
  await engine?.stop();
});

describe('preview: a journey stepped on a virtual clock', () => {
  it('shows the path and what each step would send, up to the virtual now', async () => {
    const r = await engine.api('POST', '/api/workflows/preview', {
      yaml: JOURNEY,
      customer: { id: 'sample', attributes: { vip: true } },
      start: '2026-03-01T09:00:00Z',
      events: [
        { type: 'joined', at: '2026-03-01T09:00:00Z' },
        { type: 'clicked', after: '1h' },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [run] = r.body.runs;
    expect(run.path).toEqual(['hello', 'vip-check', 'vip']);
    expect(run.outcome).toBe('vip');
    expect(run.ran[0]).toMatchObject({ label: 'greet', uses: 'test.noop', config: { subject: 'Hi sample' } });

    const early = await engine.api('POST', '/api/workflows/preview', {
      yaml: JOURNEY,
      start: '2026-03-01T09:00:00Z',
      until: '2026-03-01T09:30:00Z',
      events: [{ type: 'joined' }, { type: 'clicked', after: '1h' }],
    });
    expect(early.body.runs[0]).toMatchObject({ state: 'hello', status: 'active', path: ['hello'] });

    const timedOut = await engine.api('POST', '/api/workflows/preview', {
      yaml: JOURNEY,
      start: '2026-03-01T09:00:00Z',
      until: '2026-03-04T09:00:00Z',
      events: [{ type: 'joined' }],
    });
    expect(timedOut.body.runs[0]).toMatchObject({ path: ['hello', 'done'], outcome: 'completed' });
  });

  it('uses a real customer, answers invalid YAML with located errors, and bad input with 4xx', async () => {
    await engine.api('PUT', '/api/customers/real-1', { attributes: { vip: true } });
    const real = await engine.api('POST', '/api/workflows/preview', {
      yaml: JOURNEY,
      customerId: 'real-1',
      events: [{ type: 'joined' }, { type: 'clicked', after: '1m' }],
    });
    expect(real.body.runs[0].outcome).toBe('vip');
    const invalid = await engine.api('POST', '/api/workflows/preview', {
      yaml: JOURNEY.replace('== true', '== '),
    });
    expect(invalid.body.valid).toBe(false);
    expect(invalid.body.errors[0]).toMatchObject({ path: 'states.vip-check.choose.0.when', line: 22 });
    for (const body of [
      {},
      { yaml: JOURNEY, customerId: 'nobody' },
      { yaml: JOURNEY, start: 'yesterday' },
      { yaml: JOURNEY, events: [{ type: 'joined', after: 'soon' }] },
    ]) {
      const bad = await engine.api('POST', '/api/workflows/preview', body);
      expect([400, 404], JSON.stringify(bad.body)).toContain(bad.status);
    }
  });

  it('previews journeys that start on a schedule by entering the customer at the start', async () => {
    const scheduled = JOURNEY.replace(
      'trigger: { event: joined }',
      'trigger: { schedule: { cron: "0 9 * * 1" } }\nentry: { reenter: always }',
    );
    const r = await engine.api('POST', '/api/workflows/preview', {
      yaml: scheduled,
      events: [{ type: 'clicked', after: '1m' }],
    });
    expect(r.body.runs, JSON.stringify(r.body)).toHaveLength(1);
    expect(r.body.runs[0].path).toEqual(['hello', 'vip-check', 'done']);
  });
});

describe('live counts, stats, layout, archive, library', () => {
  it('counts customers per state, along each edge and per outcome', async () => {
    const version = await publish(engine, JOURNEY);
    await engine.api('PUT', '/api/customers/c-vip', { attributes: { vip: true } });
    for (const id of ['c-1', 'c-2', 'c-vip']) await send(engine, id, 'joined');
    await send(engine, 'c-vip', 'clicked');
    await send(engine, 'c-2', 'order.placed');
    const live = await eventually(async () => {
      const r = await engine.api('GET', '/api/workflows/extras/live');
      return r.body.started === 3 && r.body.outcomes.length === 2 ? r.body : undefined;
    });
    expect(live.version).toBe(version);
    expect(live.states).toEqual([{ state: 'hello', count: 1 }]);
    expect(live.edges).toEqual(
      expect.arrayContaining([
        { from: null, to: 'hello', count: 3 },
        { from: 'hello', to: 'vip-check', count: 1 },
        { from: 'vip-check', to: 'vip', count: 1 },
      ]),
    );
    expect(live.outcomes).toEqual(
      expect.arrayContaining([
        { status: 'completed', outcome: 'vip', count: 1 },
        { status: 'completed', outcome: 'converted', count: 1 },
      ]),
    );
    expect(live.goals).toEqual(['converted']);
    expect(live.conversion).toBeCloseTo(1 / 3);
    const stats = await engine.api('GET', '/api/stats/workflows');
    expect(stats.body.workflows).toEqual([
      { id: 'extras', started: 3, active: 1, failed: 0, goals: ['converted'], reached: 1, conversion: 1 / 3 },
    ]);
    expect((await engine.api('GET', '/api/workflows/nope/live')).status).toBe(404);
    expect((await engine.api('GET', '/api/workflows/extras/live?version=x')).status).toBe(400);
  });

  it('keeps node positions per workflow', async () => {
    const positions = { hello: { x: 10, y: 20 }, done: { x: 300, y: 40.5 } };
    expect((await engine.api('PUT', '/api/workflows/extras/layout', { positions })).status).toBe(200);
    expect((await engine.api('GET', '/api/workflows/extras/layout')).body.positions).toEqual(positions);
    expect(
      (await engine.api('PUT', '/api/workflows/extras/layout', { positions: { a: { x: 'left' } } })).status,
    ).toBe(400);
    expect((await engine.api('PUT', '/api/workflows/ghost/layout', { positions })).status).toBe(404);
  });

  it('archives and restores a workflow', async () => {
    expect((await engine.api('POST', '/api/workflows/extras/archive')).status).toBe(200);
    expect((await engine.api('GET', '/api/workflows')).body.workflows).toEqual([]);
    expect((await engine.api('GET', '/api/workflows?archived=true')).body.workflows[0].id).toBe('extras');
    expect((await engine.api('DELETE', '/api/workflows/extras/archive')).status).toBe(200);
    expect((await engine.api('GET', '/api/workflows')).body.workflows[0].id).toBe('extras');
    expect((await engine.api('POST', '/api/workflows/ghost/archive')).status).toBe(404);
  });

  it('lists templates and surveys to pick from', async () => {
    const r = await engine.api('GET', '/api/library');
    expect(r.body).toEqual({
      templates: [
        {
          id: 'welcome',
          title: 'Welcome, {{ customer.name }}',
          files: expect.arrayContaining(['email/welcome.en.mjml', 'sms/welcome.zh-CN.liquid']),
        },
      ],
      surveys: [{ id: 'nps', title: 'How likely are you to recommend us?', files: ['nps.yaml'] }],
      // The complaints plugin's folder: this library has no policy file (the defaults apply).
      service: [],
    });
  });
});

describe('the editor site', () => {
  it('serves the built editor at / and its own URLs, with the API untouched', async () => {
    const root = await fetch(`${engine.url}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await root.text()).toContain('Tend editor');
    const deep = await fetch(`${engine.url}/workflows/extras`);
    expect(await deep.text()).toContain('Tend editor');
    const asset = await fetch(`${engine.url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const api = await fetch(`${engine.url}/api/nothing-here`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${engine.url}/health`)).status).toBe(200);
  });
});

describe('runs that fail at run time', () => {
  it('shows runs that fail at run time in the live view, the journeys stats and explain', async () => {
    // A step that fails for good at run time (a provider refusing, say): nothing validation sees.
    await publish(
      engine,
      `id: fails-later
name: Fails later
trigger: { event: fails.start }
entry: { reenter: always }
start: mail
states:
  mail:
    steps:
      - uses: test.fail
        with: { code: provider_rejected }
    end: done
`,
    );
    await engine.api('POST', '/api/events', { customerId: 'f-1', type: 'fails.start' });
    const live = await eventually(async () => {
      const r = await engine.api('GET', '/api/workflows/fails-later/live');
      return r.body.failures.length > 0 ? r.body : undefined;
    });
    expect(live.failures).toEqual([
      { state: 'mail', code: 'provider_rejected', message: 'failed on purpose', count: 1 },
    ]);
    const stats = await engine.api('GET', '/api/stats/workflows');
    expect(stats.body.workflows.find((w: { id: string }) => w.id === 'fails-later')).toMatchObject({
      started: 1,
      failed: 1,
    });
    const explain = await engine.api('GET', '/api/customers/f-1/explain');
    expect(JSON.stringify(explain.body)).toMatch(/run_failed/);
  });
});
