import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ADMIN_KEY } from './engine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

/** Runs `tend <args>` as a real process against a running Tend, as an operator would. */
export async function tend(
  url: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, [path.join(root, 'engine/bin/tend.mjs'), ...args], {
      cwd: options.cwd ?? root,
      env: { ...process.env, TEND_URL: url, TEND_API_KEY: ADMIN_KEY, ...options.env },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}
