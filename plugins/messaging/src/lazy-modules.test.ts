import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'index.ts');

/** The modules a fresh Node.js process loads to import the plugin (and nothing more). */
function modulesLoadedByImport(): string[] {
  const hook = `
    import module from 'node:module';
    const loaded = [];
    module.registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    process.on('exit', () => process.stdout.write(JSON.stringify(loaded)));`;
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(hook)}`,
      '-e',
      `await import(${JSON.stringify(entry)})`,
    ],
    { encoding: 'utf8', input: '' },
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

describe('the messaging plugin at rest', () => {
  it('loads MJML, nodemailer and html-to-text only when an email needs them', () => {
    const loaded = modulesLoadedByImport();
    // The plugin itself did load (a check that the hook saw the imports at all).
    expect(loaded.some((url) => url.endsWith('/plugins/messaging/src/templates.ts'))).toBe(true);
    for (const heavy of ['mjml', 'nodemailer', 'html-to-text']) {
      expect(loaded.filter((url) => url.includes(`/node_modules/${heavy}/`))).toEqual([]);
    }
  });
});
