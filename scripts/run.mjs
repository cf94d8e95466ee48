#!/usr/bin/env node
// The one entry point behind `npm start`, `npm test`, `pnpm start|test|bench|tend`: it makes sure
// pnpm and the dependencies are installed (a fresh clone needs only Node.js and npm), then runs
// the command. Plain JavaScript on purpose: it must run before anything is installed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_NODE_FLAGS } from './engine-node-flags.mjs';
import { nodeVersionProblem } from './node-version.mjs';

const [command, ...args] = process.argv.slice(2);
// First of all: on a Node.js too old, say what to install instead of failing somewhere inside.
// TEND_NODE_VERSION stands in for the running version (the check's own test).
const tooOld = nodeVersionProblem(process.env.TEND_NODE_VERSION || process.versions.node, command ?? 'start');
if (tooOld) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}
const { ensureEditorBuilt } = await import('./editor-build.mjs');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '12.21.0';

function pnpmCommand() {
  try {
    execFileSync('pnpm', ['--version'], { stdio: 'ignore' });
    return ['pnpm'];
  } catch {
    // No pnpm on this machine: npx fetches the pinned version from the npm registry.
    return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
  }
}

function ensureInstalled() {
  const marker = path.join(root, 'node_modules', '.pnpm', 'lock.yaml');
  const lock = path.join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  const [bin, ...pre] = pnpmCommand();
  process.stderr.write('Installing dependencies (first run)…\n');
  const r = spawnSync(bin, [...pre, 'install', '--frozen-lockfile'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const tend = (rest) => [
  process.execPath,
  [...ENGINE_NODE_FLAGS, path.join(root, 'engine/bin/tend.mjs'), ...rest],
];

function run(file, argv, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(file, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  ensureInstalled();
  switch (command) {
    case 'start':
      // The engine serves the editor's built files at /: build them when missing or stale.
      if (!ensureEditorBuilt()) return 1;
      return run(...tend(['start', ...args]));
    case 'tend':
      return run(...tend(args));
    case 'bench': {
      // `--only editor` runs the workspace's reads and the editor's benchmark; `--only engine|customers|messaging` one
      // part of the engine's (engine/bench/run.ts reads the flag); everything by default.
      const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
      const runTs = path.join(root, 'engine/bin/run-ts.mjs');
      if (only !== 'editor') {
        const code = await run(process.execPath, [runTs, path.join(root, 'engine/bench/run.ts'), ...args]);
        if (code !== 0 || only) return code;
      } else {
        // What a CRM manager opens on a large base (customers list, name search, dashboard: at
        // the API, then rendered in Chromium), then the journey editor's rendering.
        if (!ensureEditorBuilt()) return 1;
        const workspace = args.map((a, i) => (args[i - 1] === '--only' ? 'workspace' : a));
        const code = await run(
          process.execPath,
          [runTs, path.join(root, 'engine/bench/run.ts'), ...workspace],
          {
            TEND_BENCH_RENDER: '1',
          },
        );
        if (code !== 0) return code;
      }
      const rest = args.filter((a, i) => a !== '--only' && args[i - 1] !== '--only');
      if (!ensureEditorBuilt()) return 1;
      return run(process.execPath, [runTs, path.join(root, 'editor/bench/run.ts'), ...rest]);
    }
    case 'soak':
      // Kills Tend's whole process tree a thousand times (tests/soak/soak.ts); it starts Tend as
      // `start` does, so the editor is built first.
      if (!ensureEditorBuilt()) return 1;
      return run(process.execPath, [
        path.join(root, 'engine/bin/run-ts.mjs'),
        path.join(root, 'tests/soak/soak.ts'),
        ...args,
      ]);
    case 'test': {
      // The child processes (tsc, vitest and the engines the tests spawn) run on this Node.js.
      process.stderr.write(`Node.js ${process.version} (${process.execPath})\n`);
      const steps = [
        ['types', bin('tsc'), ['-p', 'tsconfig.json']],
        ['types (editor)', bin('tsc'), ['-p', 'editor/tsconfig.json']],
        ['lint and format', bin('biome'), ['ci', '--error-on-warnings', '.']],
        ['tests', bin('vitest'), ['run', ...args]],
      ];
      // No test may depend on today's date: the engine-backed tests run once more with the
      // engine's clock two years ahead (only for the whole suite, not for a chosen file).
      if (args.length === 0) {
        steps.push([
          'tests with the engine two years ahead (TEND_CLOCK_OFFSET=+2y)',
          bin('vitest'),
          ['run', '--project', 'integration'],
          { TEND_CLOCK_OFFSET: '+2y' },
        ]);
      }
      for (const [name, file, argv, env] of steps) {
        process.stderr.write(`\n▶ ${name}\n`);
        const code = await run(file, argv, env);
        if (code !== 0) {
          process.stderr.write(`✗ ${name} failed\n`);
          return code;
        }
      }
      return 0;
    }
    default:
      process.stderr.write('usage: node scripts/run.mjs start|test|bench|soak|tend [args]\n');
      return 2;
  }
}

process.exitCode = await main();
