import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TEST_PLUGIN } from '../support/engine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.join(root, 'tests', 'fixtures', 'journeys');
const run = promisify(execFile);

async function tendTest(args: string[]) {
  try {
    const r = await run(process.execPath, [path.join(root, 'engine/bin/tend.mjs'), 'test', ...args], {
      cwd: root,
      env: { ...process.env, TEND_PLUGINS: TEST_PLUGIN },
    });
    return { code: 0, out: r.stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

describe('tend test', () => {
  it('runs journey tests on a virtual clock, in milliseconds each', async () => {
    const r = await tendTest(['--workflows', fixtures, path.join(fixtures, 'tests')]);
    expect(r.out).toMatch(/4 passed, 0 failed\n$/);
    expect(r.code).toBe(0);
    const times = [...r.out.matchAll(/\(([\d.]+) ms\)/g)].map((m) => Number(m[1]));
    expect(times).toHaveLength(4);
    for (const ms of times) expect(ms).toBeLessThan(200);
  });

  it('fails with a readable difference when an expectation does not hold', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-jt-'));
    const file = path.join(dir, 'wrong.test.yaml');
    await writeFile(
      file,
      'workflow: cart\ntests:\n  - name: wrong outcome\n    customer: { id: x }\n    events: [ { type: cart.abandoned, data: { cartId: z } }, { after: 1m, type: message.clicked } ]\n    expect: { outcome: offered }\n',
    );
    const r = await tendTest(['--workflows', fixtures, file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/outcome: expected "offered", got "lost"/);
    expect(r.out).toMatch(/0 passed, 1 failed\n$/);
    // The one path taken covers three of five states; coverage says which were missed.
    expect(r.out).toMatch(/ {2}cart +states 3\/5 \(60%\) +transitions 2\/5 \(40%\)/);
    expect(r.out).toContain('states not entered: reminder, vip');
    expect(r.out).toContain(
      'transitions not taken: remember → reminder, reminder → follow-up, follow-up → vip',
    );
  });

  it('passes the journeys shipped in workflows/', async () => {
    const r = await run(process.execPath, [path.join(root, 'engine/bin/tend.mjs'), 'test'], { cwd: root });
    expect(r.stdout).toMatch(/ 0 failed\n$/);
    // Every shipped journey has tests, and the coverage report names each.
    expect(Number(/(\d+) passed/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(10);
    for (const id of ['acquire', 'develop', 'retain', 'win-back'])
      expect(r.stdout).toMatch(
        new RegExp(`^  ${id} +states \\d+/\\d+ \\(\\d+%\\) +transitions \\d+/\\d+`, 'm'),
      );
  });
});
