import { statfs } from 'node:fs/promises';

const GB = 1024 ** 3;

/*
 * What the benchmark's embedded PostgreSQL writes, measured: the customers part's base of
 * 1,000,000 customers and their orders about 8 GB; the growth run, 13,215 MB of events and 5,785
 * MB of their keys at 50 million events (docs/scaling.md), some 400 bytes an event; both with the
 * WAL (2 GB at most between checkpoints) and the load's sort on top.
 */
const BYTES_PER_BASE_CUSTOMER = 8 * 1024;
const BYTES_PER_GROWTH_EVENT = 400;
const HEADROOM = 3 * GB;

export interface BenchSizes {
  /** `--only` (null: the whole run). */
  only: string | null;
  baseCustomers: number;
  growthEvents: number;
}

/** The bytes of disk a run of the benchmark needs for its embedded PostgreSQL's data. */
export function diskNeed({ only, baseCustomers, growthEvents }: BenchSizes): number {
  const base =
    !only || ['customers', 'workspace'].includes(only) ? baseCustomers * BYTES_PER_BASE_CUSTOMER : 0;
  const growth = only === 'growth' ? growthEvents * BYTES_PER_GROWTH_EVENT : 0;
  return base + growth + HEADROOM;
}

/**
 * Refuses to start a run whose data would not fit in `dir`, before it spends half an hour on
 * the way to a full disk; null when it fits, else what to tell the user.
 */
export async function diskShortage(dir: string, sizes: BenchSizes): Promise<string | null> {
  const need = diskNeed(sizes);
  const fs = await statfs(dir);
  const free = fs.bavail * fs.bsize;
  if (free >= need) return null;
  const gb = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`;
  return (
    `the benchmark needs about ${gb(need)} of free disk in ${dir} for its embedded PostgreSQL, ` +
    `and ${gb(free)} are free: free some, point TMPDIR at a bigger disk, run against DATABASE_URL, ` +
    'or make the run smaller (--base-customers N, --growth-events N)'
  );
}
