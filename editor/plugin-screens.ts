import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { installedPlugins } from '../engine/src/plugins-host/installed-plugins.ts';

const MODULE = 'virtual:tend-plugin-screens';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Package names resolve as the engine resolves them (it depends on the shipped plugins).
const fromEngine = createRequire(path.join(root, 'engine', 'package.json'));

/** The installed plugins (shipped + TEND_PLUGINS, as the engine loads them) at build time. */
export function pluginList(): string[] {
  const extra = (process.env.TEND_PLUGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return installedPlugins({ plugins: extra });
}

/** The package folder of a plugin named by package name or file path: the one holding its entry. */
function packageDir(specifier: string): string | null {
  let entry: string;
  try {
    entry =
      specifier.startsWith('.') || path.isAbsolute(specifier)
        ? path.resolve(root, specifier)
        : fromEngine.resolve(specifier);
  } catch {
    return null;
  }
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return null;
}

/** The files of the installed plugins' `./editor` entries. */
export function editorEntries(): string[] {
  const entries: string[] = [];
  for (const specifier of pluginList()) {
    const dir = packageDir(specifier);
    if (!dir) continue;
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      exports?: Record<string, string>;
    };
    const entry = pkg.exports?.['./editor'];
    if (entry) entries.push(path.join(dir, entry));
  }
  return entries;
}

/**
 * `virtual:tend-plugin-screens`: the default exports of the installed plugins' editor entries,
 * built into the editor (as Backstage builds its frontend plugins into the app).
 */
export function pluginScreens(): Plugin {
  return {
    name: 'tend-plugin-screens',
    resolveId: (id) => (id === MODULE ? `\0${MODULE}` : undefined),
    load(id) {
      if (id !== `\0${MODULE}`) return undefined;
      const entries = editorEntries();
      return [
        ...entries.map((file, i) => `import p${i} from ${JSON.stringify(file)};`),
        `export default [${entries.map((_, i) => `p${i}`).join(', ')}];`,
      ].join('\n');
    },
  };
}
