// Builds the editor (editor/dist) when the build is missing or older than its sources. Plain
// JavaScript with Node built-ins only: `npm start` runs it on a fresh clone, and the browser
// tests run it before they open the editor.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const editor = path.join(root, 'editor');
// The editor bundles the engine's pure CEL and duration checks, so those count as sources too.
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', '../engine/src/definitions'];

function newest(target) {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(target, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** True when editor/dist is missing or a source file changed after it was built. */
export function editorBuildIsStale() {
  const built = path.join(editor, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newest(path.join(editor, s)) > builtAt);
}

/** Runs `vite build` in editor/ if needed; returns false when the build failed. */
export function ensureEditorBuilt({ quiet = false } = {}) {
  if (!editorBuildIsStale()) return true;
  if (!quiet) process.stderr.write('Building the editor (editor/dist)…\n');
  const vite = path.join(editor, 'node_modules', '.bin', 'vite');
  const r = spawnSync(vite, ['build', '--logLevel', quiet ? 'error' : 'warn'], {
    cwd: editor,
    stdio: 'inherit',
    // Vitest sets NODE_ENV=test, and Vite builds React's development bundle for anything but
    // production: twice as slow to open a large journey.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return r.status === 0;
}
