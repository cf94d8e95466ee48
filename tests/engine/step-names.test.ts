import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tend } from '../support/cli.ts';
import { createTestDatabase } from '../support/database.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { call, spawnEngine } from '../support/process.ts';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'broken-template');
let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_WORKFLOWS_DIR: folder }, { workers: false });
});
afterAll(async () => {
  await engine?.stop();
});

describe('names a journey refers to, checked before anything runs', () => {
  it('locates a template that does not parse in the template file, and stores nothing', async () => {
    const { readFile } = await import('node:fs/promises');
    const yaml = await readFile(path.join(folder, 'journey.yaml'), 'utf8');
    const r = await engine.api('POST', '/api/workflows', yaml, {
      headers: { 'content-type': 'application/yaml' },
    });
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ path: 'states.mail.steps.0.with.template', line: 9 });
    expect(r.body.errors[0].message).toMatch(/^templates\/email\/broken\.en\.mjml:6:\d+: Liquid: /);
    expect((await engine.api('GET', '/api/workflows')).body.workflows).toEqual([]);
    const check = await engine.api('POST', '/api/workflows/validate', yaml);
    expect(check.body).toMatchObject({ valid: false, errors: r.body.errors });
  });

  it('`tend start` does not publish a journey of its folder whose template is broken, and says where', async () => {
    const started = await spawnEngine(await createTestDatabase(), { TEND_WORKFLOWS_DIR: folder });
    try {
      expect((await call(started.url, 'GET', '/api/workflows')).body.workflows).toEqual([]);
      expect(started.output()).toMatch(
        /journey\.yaml:9:\d+: templates\/email\/broken\.en\.mjml:6:\d+: Liquid: /,
      );
    } finally {
      await started.kill('SIGTERM');
    }
  });

  it('`tend validate` checks against the local workflows folder, without a server', async () => {
    const r = await tend('http://127.0.0.1:9', ['validate', path.join(folder, 'journey.yaml')], {
      env: { TEND_WORKFLOWS_DIR: folder },
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/journey\.yaml:9:\d+: templates\/email\/broken\.en\.mjml:6:\d+: Liquid: /);
  });

  it('`tend push --dry-run` refuses a journey naming a template that is nowhere', async () => {
    const yaml = `id: no-template
name: No template
trigger: { event: a.b }
start: mail
states:
  mail:
    steps:
      - uses: messaging.send
        with: { channel: email, template: nowhere }
    end: done
`;
    const r = await engine.api('POST', '/api/push', {
      workflows: [{ file: 'no-template.yaml', yaml }],
      dryRun: true,
    });
    expect(r.status).toBe(422);
    expect(r.body.error.details[0]).toMatchObject({ file: 'no-template.yaml', line: 9 });
    expect(r.body.error.details[0].message).toMatch(/no email template "nowhere".*email templates: broken/);
    // The same journey with its template in the push is fine.
    const withFile = await engine.api('POST', '/api/push', {
      workflows: [{ file: 'no-template.yaml', yaml }],
      files: [
        {
          path: 'templates/email/nowhere.en.mjml',
          content:
            '---\nsubject: Hi\n---\n<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>\n',
        },
      ],
      dryRun: true,
    });
    expect(withFile.status, JSON.stringify(withFile.body)).toBe(200);
  });
});
