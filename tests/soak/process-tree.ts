import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Tend started the way a user starts it (`node scripts/run.mjs start`, what `pnpm start` runs),
 * as a tree of processes: the launcher, the engine, and the embedded PostgreSQL with its backends
 * (which put themselves in process groups of their own, so killing a group is not enough).
 */
export interface ProcessTree {
  root: ChildProcess;
  output: () => string;
  /** SIGKILLs every process of the tree at one moment; resolves with how many there were. */
  killAll(): Promise<number>;
}

export function startTree(command: string[], env: Record<string, string>, cwd: string): ProcessTree {
  const [file, ...args] = command;
  let log = '';
  const root = spawn(file as string, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // Only the last part of the output is kept: it is for the report of a failure.
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  };
  root.stdout?.on('data', keep);
  root.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => root.once('exit', () => resolve()));
  return {
    root,
    output: () => log,
    async killAll() {
      // Frozen first (SIGSTOP), looking again until no new process appears: a process being
      // started at that moment (PostgreSQL by the engine, a backend by PostgreSQL) is found under
      // its stopped parent instead of escaping as an orphan. Then all are killed in one loop.
      const pids = new Set<number>();
      for (let round = 0; round < 20; round++) {
        const found = descendants(root.pid as number).filter((pid) => !pids.has(pid));
        if (found.length === 0) break;
        for (const pid of found) {
          pids.add(pid);
          signal(pid, 'SIGSTOP');
        }
      }
      for (const pid of pids) signal(pid, 'SIGKILL');
      await exited;
      await waitGone([...pids]);
      return pids.size;
    },
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The pid and every descendant of it, from /proc (Linux). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i] as number) ?? []));
  return all;
}

async function waitGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const alive = pids.filter((pid) => {
      try {
        // A zombie stays in /proc until its parent reaps it: look at its state.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat[stat.lastIndexOf(')') + 2] !== 'Z';
      } catch {
        return false;
      }
    });
    if (alive.length === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
