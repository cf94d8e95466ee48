import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tend } from '../support/cli.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let engine: TestEngine;
/** The operator's checkout of workflows/ … */
let local: string;
/** … and the server's own workflows folder, where pushed templates and surveys land. */
let serverDir: string;

const journeys = async (dir: string) => {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
  const out: string[] = [];
  for (const n of names) if (/^states:/m.test(await readFile(path.join(dir, n), 'utf8'))) out.push(n);
  return out;
};
const filesUnder = async (dir: string) =>
  (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;

beforeAll(async () => {
  local = await mkdtemp(path.join(tmpdir(), 'tend-git-'));
  serverDir = await mkdtemp(path.join(tmpdir(), 'tend-server-'));
  await cp(path.join(root, 'workflows'), local, { recursive: true });
  engine = await startTestEngine({ TEND_WORKFLOWS_DIR: serverDir });
});
afterAll(async () => {
  await engine?.stop();
});

describe('journeys from git: push, diff, pull, rollback', () => {
  it('pushes a folder of journeys, templates and surveys, then nothing when nothing changed', async () => {
    const first = await tend(engine.url, ['push', local, '--publish', '--message', 'first deploy', '--json']);
    expect(first.code, first.err).toBe(0);
    const result = JSON.parse(first.out);
    expect(result.workflows.map((w: any) => w.status)).toEqual((await journeys(local)).map(() => 'created'));
    expect(result.workflows.every((w: any) => w.published && w.version === 1)).toBe(true);
    const templates = await filesUnder(path.join(local, 'templates'));
    const surveys = await filesUnder(path.join(local, 'surveys'));
    // The complaints policy (workflows/service/complaints.yaml) goes with them.
    const policy = await filesUnder(path.join(local, 'service'));
    expect(policy).toBe(1);
    expect(result.files).toHaveLength(templates + surveys + policy);
    // The server's plugins read what was pushed from its own folder.
    expect(await readFile(path.join(serverDir, 'templates/email/welcome.en.mjml'), 'utf8')).toBe(
      await readFile(path.join(local, 'templates/email/welcome.en.mjml'), 'utf8'),
    );

    const again = await tend(engine.url, ['push', local, '--publish']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/nothing to push/);
  });

  it('tend diff names the states and transitions a local edit changes', async () => {
    const file = path.join(local, 'acquire.yaml');
    const yaml = await readFile(file, 'utf8');
    // Rename "tips" to "brew-tips" and wait 3 days instead of 2 after the welcome mail.
    await writeFile(
      file,
      yaml
        .replace(/^ {2}tips:$/m, '  brew-tips:')
        .replace('timeout: tips', 'timeout: brew-tips')
        .replace('wait: { event: order.placed, timeout: 2d }', 'wait: { event: order.placed, timeout: 3d }'),
    );
    const diff = await tend(engine.url, ['diff', local]);
    expect(diff.code, diff.err).toBe(0);
    expect(diff.out).toContain('acquire.yaml: acquire differs from published v1');
    expect(diff.out).toContain('+ state brew-tips');
    expect(diff.out).toContain('- state tips');
    expect(diff.out).toContain('+ transition welcome → brew-tips (on timeout)');
    expect(diff.out).toContain('- transition tips → coupon (on timeout)');
    expect(diff.out).toMatch(/~ state welcome: wait: .*"2d".* → .*"3d"/);
    expect(diff.out).toMatch(/^-\s+timeout: tips$/m); // the text diff
    expect(diff.out).toMatch(/1 differ/);

    const json = JSON.parse((await tend(engine.url, ['diff', local, '--json'])).out);
    const acquire = json.workflows.find((w: any) => w.id === 'acquire');
    expect(acquire.changes.states).toMatchObject({ added: ['brew-tips'], removed: ['tips'] });
    expect(json.workflows.filter((w: any) => w.status !== 'same')).toHaveLength(1);
  });

  it('pushes only the changed file, publishes it, and rolls back', async () => {
    const pushed = await tend(engine.url, [
      'push',
      local,
      '--publish',
      '--message',
      'longer welcome',
      '--json',
    ]);
    expect(pushed.code, pushed.err).toBe(0);
    const result = JSON.parse(pushed.out);
    expect(result.workflows).toEqual([
      expect.objectContaining({
        id: 'acquire',
        version: 2,
        status: 'created',
        published: true,
        previouslyPublished: 1,
      }),
    ]);
    expect(result.files).toEqual([]);

    const versions = await tend(engine.url, ['versions', 'acquire']);
    expect(versions.out).toMatch(/\* v2 .* via cli {2}"longer welcome"/);
    expect(versions.out).toMatch(/ {2}v1 .* via cli {2}"first deploy"/);

    const rollback = await tend(engine.url, ['rollback', 'acquire', '1']);
    expect(rollback.code, rollback.err).toBe(0);
    expect(rollback.out).toContain('v1 is published (was v2)');
    expect((await engine.api('GET', '/api/workflows/acquire')).body.publishedVersion).toBe(1);
    const audit = await engine.api('GET', '/api/audit?entity=workflow&entityId=acquire');
    expect(audit.body.entries.map((e: any) => e.action).slice(0, 2)).toEqual(['publish', 'publish']);

    // The local file now differs from what is published again.
    expect((await tend(engine.url, ['diff', local])).out).toContain('acquire differs from published v1');
  });

  it('a template change travels alone; a broken one is refused with its location, and nothing changes', async () => {
    const template = path.join(local, 'templates/sms/coupon.en.liquid');
    await writeFile(template, `${await readFile(template, 'utf8')}\nReply STOP to opt out.`);
    const ok = JSON.parse((await tend(engine.url, ['push', local, '--json'])).out);
    expect(ok.files).toEqual([
      expect.objectContaining({ path: 'templates/sms/coupon.en.liquid', version: 2 }),
    ]);
    expect(await readFile(path.join(serverDir, 'templates/sms/coupon.en.liquid'), 'utf8')).toContain(
      'Reply STOP',
    );

    await writeFile(template, 'Hi {{ customer.name \nbroken');
    const bad = path.join(local, 'develop.yaml');
    await writeFile(bad, (await readFile(bad, 'utf8')).replace(/^start: (\S+)$/m, 'start: nowhere'));
    const refused = await tend(engine.url, ['push', local, '--publish']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/templates\/sms\/coupon\.en\.liquid:1:\d+: Liquid/);
    expect(refused.err).toMatch(/develop\.yaml:\d+:\d+: .*nowhere/);
    expect(refused.err).toContain('nothing was changed');
    expect((await engine.api('GET', '/api/workflows/develop')).body.versions).toHaveLength(1);
    expect((await engine.api('GET', '/api/workflows/acquire')).body.publishedVersion).toBe(1);
    const file = await engine.api('GET', '/api/files?path=templates/sms/coupon.en.liquid');
    expect(file.body.version).toBe(2);
  });

  it('refuses a push whose journey tests fail when told to', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-git-tests-'));
    await cp(path.join(root, 'workflows'), dir, { recursive: true });
    const tests = path.join(dir, 'tests', 'acquire.test.yaml');
    await writeFile(
      tests,
      (await readFile(tests, 'utf8')).replace(/outcome: converted/, 'outcome: never-happens'),
    );
    const r = await tend(engine.url, ['push', dir, '--test', '--publish']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/journey test\(s\) failed; nothing was changed/);
    expect((await engine.api('GET', '/api/workflows/acquire')).body.versions).toHaveLength(2);
  });

  it('pulls the published versions and the latest files into a folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-pull-'));
    const r = await tend(engine.url, ['pull', dir]);
    expect(r.code, r.err).toBe(0);
    const v1 = (await engine.api('GET', '/api/workflows/acquire/versions/1')).body.yaml;
    expect(await readFile(path.join(dir, 'acquire.yaml'), 'utf8')).toBe(v1);
    expect(await readFile(path.join(dir, 'templates/sms/coupon.en.liquid'), 'utf8')).toContain('Reply STOP');
    expect((await journeys(dir)).sort()).toEqual((await journeys(local)).sort());
    expect((await tend(engine.url, ['pull', dir])).out).toMatch(/0 file\(s\) written/);
  });
});
