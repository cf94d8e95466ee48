/**
 * (o) What a CRM manager opens on the large base, through the HTTP API as the editor calls it:
 * the customers list (plain, sorted, filtered), partial-name search in Chinese and Latin, an
 * email lookup and the overview dashboard. Each is timed once cold, then five times; the
 * median of the five is reported with the cold time.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { api, progress, root } from './support.ts';

const QUERIES: [label: string, route: string][] = [
  ['customers, first page', '/api/customers?limit=50'],
  ['customers by revenue', '/api/customers?limit=50&sort=revenue'],
  ['champions by last order', '/api/customers?limit=50&segment=champions&sort=last-order'],
  ['name contains 王', `/api/customers?limit=50&name=${encodeURIComponent('王')}`],
  ['name contains 王, by revenue', `/api/customers?limit=50&sort=revenue&name=${encodeURIComponent('王')}`],
  ['name contains "olivia smi"', '/api/customers?limit=50&name=olivia%20smi'],
  ['name nobody has (欧阳)', `/api/customers?limit=50&name=${encodeURIComponent('欧阳')}`],
  ['email lookup', '/api/customers?email=nobody%40example.com'],
  ['overview dashboard', '/api/overview'],
];

export interface WorkspaceTiming {
  label: string;
  coldMs: number;
  medianMs: number;
  rows: number;
}

export async function workspaceReads(url: string): Promise<WorkspaceTiming[]> {
  const out: WorkspaceTiming[] = [];
  for (const [label, route] of QUERIES) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const body = await api(url, 'GET', route);
      times.push(performance.now() - started);
      rows = Array.isArray(body.customers) ? body.customers.length : 1;
    }
    const [cold, ...warm] = times as [number, ...number[]];
    warm.sort((a, b) => a - b);
    out.push({ label, coldMs: Math.round(cold), medianMs: Math.round(warm[2] as number), rows });
    progress('workspace reads', out.length, QUERIES.length);
  }
  return out;
}

/** Time to render in the browser, per screen (median of three), from the editor's benchmark script. */
export interface WorkspaceRender {
  customersListMs: number;
  nameSearchMs: number;
  overviewMs: number;
}

/**
 * The same screens as a person sees them: the editor's benchmark opens them in headless Chromium
 * against this engine (a process of its own, so the engine's benchmark does not load a browser).
 */
export function workspaceRender(url: string): WorkspaceRender | { error: string } {
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'engine/bin/run-ts.mjs'), path.join(root, 'editor/bench/workspace-render.ts'), url],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 },
  );
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as WorkspaceRender;
  } catch {
    return { error: `the browser part did not answer (exit ${r.status})` };
  }
}
