import { readdir, readFile } from 'node:fs/promises';

/*
 * CPU time from /proc, so a benchmark can say where a round's work went (the engine, PostgreSQL,
 * everything else) as well as how long it took. Throughput on a shared machine moves with its
 * neighbours; CPU time per unit of work moves much less.
 */

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ, fixed for user space). */
const TICK = 0.01;

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
async function statFields(pid: number): Promise<string[] | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : null;
}

/** CPU seconds a process has used, user and system, all its threads. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const f = await statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK : 0;
}

/**
 * CPU seconds of a PostgreSQL server so far: the postmaster with the children it has reaped, and
 * the children still running (backends, WAL writer, checkpointer, …).
 */
export async function serverCpuSeconds(postmasterPid: number): Promise<number> {
  const own = await statFields(postmasterPid);
  if (!own) return 0;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = await statFields(Number(entry));
    if (f && Number(f[1]) === postmasterPid) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * TICK;
}

/** CPU seconds the whole machine has been busy, summed over its cores. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const [, ...ticks] = line.trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (total - idle) * TICK;
}

/** CPU seconds so far of the engine, its PostgreSQL server (null: not one of ours) and the machine. */
export async function cpuSnapshot(enginePid: number, postmasterPid: number | null) {
  return {
    engine: await cpuSecondsOf(enginePid),
    postgres: postmasterPid ? await serverCpuSeconds(postmasterPid) : null,
    machine: await machineBusySeconds(),
  };
}
