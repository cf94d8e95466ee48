// Builds the editor (editor/dist) when the build is missing or older than its sources. Plain
// JavaScript with Node built-ins only: `npm start` runs it on a fresh clone, and the browser
// tests run it before they open the editor.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const editor = path.join(root, 'editor');
// The editor bundles the SDK's CEL and duration checks and the plugins' screens, so
// those count as sources too.
const SOURCES = [
  'src',
  'index.html',
  'vite.config.ts',
  'plugin-screens.ts',
  'package.json',
  '../plugins/sdk/src',
  '../engine/src/plugins-host/installed-plugins.ts',
  ...readdirSync(path.join(root, 'plugins')).flatMap((p) => [
    `../plugins/${p}/src/editor`,
    `../plugins/${p}/package.json`,
  ]),
];
// Which plugins a build holds: another TEND_PLUGINS needs another build.
const PLUGINS_STAMP = '.plugins';

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

const outDir = (out) => (out ? path.resolve(out) : path.join(editor, 'dist'));
const pluginsNow = () => (process.env.TEND_PLUGINS ?? '').trim();

/** True when the build is missing, was made for other plugins, or a source changed after it. */
export function editorBuildIsStale({ out } = {}) {
  const built = path.join(outDir(out), 'index.html');
  const stamp = path.join(outDir(out), PLUGINS_STAMP);
  if (!existsSync(built) || !existsSync(stamp)) return true;
  if (readFileSync(stamp, 'utf8') !== pluginsNow()) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newest(path.join(editor, s)) > builtAt);
}

/** Runs `vite build` in editor/ if needed (into `out`, default editor/dist); false when it failed. */
export function ensureEditorBuilt({ quiet = false, out } = {}) {
  if (!editorBuildIsStale({ out })) return true;
  if (!quiet) process.stderr.write('Building the editor (editor/dist)…\n');
  const vite = path.join(editor, 'node_modules', '.bin', 'vite');
  const r = spawnSync(vite, ['build', '--logLevel', quiet ? 'error' : 'warn'], {
    cwd: editor,
    stdio: 'inherit',
    // Vitest sets NODE_ENV=test, and Vite builds React's development bundle for anything but
    // production: twice as slow to open a large journey.
    env: { ...process.env, NODE_ENV: 'production', ...(out ? { TEND_EDITOR_OUT: outDir(out) } : {}) },
  });
  if (r.status !== 0) return false;
  writeFileSync(path.join(outDir(out), PLUGINS_STAMP), pluginsNow());
  return true;
}
