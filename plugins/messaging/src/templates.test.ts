import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isStepError } from '@tend/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { TemplateLibrary } from './templates.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tend-templates-'));
mkdirSync(path.join(dir, 'templates', 'sms'), { recursive: true });
writeFileSync(
  path.join(dir, 'templates', 'sms', 'runaway.en.liquid'),
  '{% for i in (1..100000000) %}{{ i }}{% endfor %}',
);
writeFileSync(
  path.join(dir, 'templates', 'sms', 'slow.en.liquid'),
  '{% for a in (1..2000) %}{% for b in (1..2000) %}{{ b }}{% endfor %}{% endfor %}',
);
writeFileSync(path.join(dir, 'templates', 'sms', 'hello.en.liquid'), 'Hello {{ customer.name }}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(name: string) {
  const start = performance.now();
  try {
    await new TemplateLibrary(dir).render('sms', name, 'en', 'en', {});
  } catch (error) {
    if (!isStepError(error)) throw error;
    return {
      code: error.code,
      kind: error.kind,
      retryable: error.retryable,
      message: error.message,
      ms: performance.now() - start,
    };
  }
  throw new Error('rendered');
}

describe('message templates are bounded', () => {
  it('fails a loop over a hundred million items at once, as a template error not retried', async () => {
    const f = await failure('runaway');
    expect(f).toMatchObject({ code: 'template', kind: 'user', retryable: false });
    expect(f.message).toMatch(/^template sms\/runaway\.en\.liquid: .*memory alloc limit exceeded/);
    expect(f.ms).toBeLessThan(1000);
  });

  it('stops a render that runs past its time', async () => {
    const f = await failure('slow');
    expect(f.message).toMatch(/template render limit exceeded/);
    // Time depends on the machine's load too: retried with backoff, failing after its tries.
    expect(f).toMatchObject({ code: 'template', kind: 'engine', retryable: true });
    expect(f.ms).toBeLessThan(3000);
  });

  it('renders ordinary templates', async () => {
    const r = await new TemplateLibrary(dir).render('sms', 'hello', 'en', 'en', {
      customer: { name: 'Ann' },
    });
    expect(r.text).toBe('Hello Ann');
  });
});
