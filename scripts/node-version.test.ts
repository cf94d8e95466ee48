import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from './node-version.mjs';

const runScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'run.mjs');

describe('nodeVersionProblem', () => {
  it('says what to install on Node.js 20, naming the command to run', () => {
    expect(nodeVersionProblem('20.20.2', 'test')).toBe(
      [
        'Tend needs Node.js 22.12 or newer (24 LTS recommended); this is Node.js 20.20.2.',
        'Install Node.js 24 LTS from https://nodejs.org (or with your version manager: nvm install 24),',
        'or run Tend once with it through npm: npx node@24 scripts/run.mjs test',
      ].join('\n'),
    );
    expect(nodeVersionProblem('22.11.0')).toMatch(/this is Node\.js 22\.11\.0/);
    expect(nodeVersionProblem('18.0.0')).toMatch(/^Tend needs Node\.js 22\.12 or newer/);
  });

  it('takes 22.12 and later, 24 and newer majors', () => {
    for (const ok of ['22.12.0', '22.22.2', '23.0.0', '24.0.0', '24.21.0', '26.10.0', 'v24.1.0'])
      expect(nodeVersionProblem(ok), ok).toBeNull();
  });
});

describe('scripts/run.mjs', () => {
  it('stops with that message and exit code 1 before doing anything on an old Node.js', () => {
    // TEND_NODE_VERSION stands in for process.versions.node, so the check can be seen on any Node.js.
    const r = spawnSync(process.execPath, [runScript, 'test'], {
      env: { ...process.env, TEND_NODE_VERSION: '20.20.2' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'Tend needs Node.js 22.12 or newer (24 LTS recommended); this is Node.js 20.20.2.',
    );
    expect(r.stderr).toContain('npx node@24 scripts/run.mjs test');
    expect(r.stdout).toBe('');
  });
});
