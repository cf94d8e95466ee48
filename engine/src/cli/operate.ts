import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { MigrationPlan } from '../operations/migrate-runs.ts';
import type { ResumeResult } from '../operations/pause.ts';
import { type ApiResponse, apiClient, failure } from './client.ts';

const print = (json: boolean, body: unknown, text: string) =>
  process.stdout.write(json ? `${JSON.stringify(body, null, 2)}\n` : text);

function refused(r: ApiResponse<unknown>, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify({ error: r.body.error }, null, 2)}\n`);
  else process.stderr.write(`${failure(r)}\n`);
  return 1;
}

/** `tend rollback <workflow> <version>`: publishes an earlier version; running customers stay. */
export async function runRollback(config: Config, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [id, v] = positionals;
  const version = Number(v);
  if (!id || !Number.isInteger(version) || version < 1) {
    process.stderr.write('usage: tend rollback <workflow> <version>\n');
    return 2;
  }
  const call = apiClient(config);
  const before = await call('GET', `/api/workflows/${encodeURIComponent(id)}`);
  if (!before.ok) return refused(before, values.json);
  const r = await call('POST', `/api/workflows/${encodeURIComponent(id)}/publish`, { version });
  if (!r.ok) return refused(r, values.json);
  const was = before.body.publishedVersion;
  print(
    values.json,
    { id, publishedVersion: version, previous: was },
    `${id}: v${version} is published${was ? ` (was v${was})` : ''}. New customers start on it; running customers stay on their version (move them with tend migrate-runs).\n`,
  );
  return 0;
}

/** `tend pause <workflow>` / `tend resume <workflow> --admit|--skip`. */
export async function runPause(config: Config, argv: string[], resume: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      admit: { type: 'boolean', default: false },
      skip: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const id = positionals[0];
  if (!id || (resume && values.admit === values.skip)) {
    process.stderr.write(
      resume
        ? 'usage: tend resume <workflow> --admit|--skip  (admit or skip the customers who would have entered meanwhile)\n'
        : 'usage: tend pause <workflow>\n',
    );
    return 2;
  }
  const call = apiClient(config);
  const route = `/api/workflows/${encodeURIComponent(id)}/${resume ? 'resume' : 'pause'}`;
  if (!resume) {
    const r = await call('POST', route, {});
    if (!r.ok) return refused(r, values.json);
    print(
      values.json,
      r.body,
      `${id}: paused${r.body.alreadyPaused ? ' (already)' : ''}. No one enters; customers are held before their next step.\n`,
    );
    return 0;
  }
  const r = await call<ResumeResult>('POST', route, { admit: values.admit });
  if (!r.ok) return refused(r, values.json);
  const b = r.body;
  print(
    values.json,
    b,
    b.wasPaused
      ? `${id}: running again. ${b.resumed} held customer(s) go on; ${
          values.admit
            ? `${b.admitted} of ${b.waiting} who would have entered were admitted`
            : `${b.discarded} who would have entered were skipped`
        }${b.skippedOccurrences ? `, ${b.skippedOccurrences} scheduled occurrence(s) skipped` : ''}.\n`
      : `${id}: was not paused.\n`,
  );
  return 0;
}

/** `tend migrate-runs <workflow> --from v --to v --map old:new … [--leave] [--dry-run]`. */
export async function runMigrateRuns(config: Config, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      map: { type: 'string', multiple: true, default: [] },
      leave: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const id = positionals[0];
  const from = Number(values.from);
  const to = Number(values.to);
  const map: Record<string, string> = {};
  for (const m of values.map ?? []) {
    const [old, next, extra] = m.split(':');
    if (!old || !next || extra !== undefined) {
      process.stderr.write(`--map ${m}: write old-state:new-state\n`);
      return 2;
    }
    map[old] = next;
  }
  if (!id || !Number.isInteger(from) || !Number.isInteger(to)) {
    process.stderr.write(
      'usage: tend migrate-runs <workflow> --from <version> --to <version> [--map old:new …] [--leave] [--dry-run]\n',
    );
    return 2;
  }
  const call = apiClient(config);
  const r = await call<MigrationPlan>('POST', `/api/workflows/${encodeURIComponent(id)}/migrate-runs`, {
    from,
    to,
    map,
    leave: values.leave,
    dryRun: values['dry-run'],
  });
  const plan = (r.ok ? r.body : r.body.error?.details) as MigrationPlan | undefined;
  if (!r.ok && !values.json && plan?.unplaced) process.stdout.write(describePlan(plan));
  if (!r.ok) return refused(r, values.json);
  print(values.json, r.body, describePlan(r.body));
  return 0;
}

function describePlan(p: MigrationPlan): string {
  const lines = [`${p.workflow}: v${p.from} → v${p.to}${p.dryRun ? ' (dry run: nothing moved)' : ''}`];
  for (const m of p.moves) lines.push(`  ${m.from} → ${m.to}: ${m.runs} run(s)`);
  for (const u of p.unplaced) lines.push(`  ${u.state}: ${u.runs} run(s) stay on v${p.from}: ${u.reason}`);
  if (!p.dryRun) lines.push(`moved ${p.moved}, left ${p.left} on v${p.from}`);
  return `${lines.join('\n')}\n`;
}

/** `tend versions <workflow>`: who made each version, when, from where, and why. */
export async function runVersions(config: Config, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const id = positionals[0];
  if (!id) {
    process.stderr.write('usage: tend versions <workflow>\n');
    return 2;
  }
  const r = await apiClient(config)<{
    publishedVersion: number | null;
    versions: {
      version: number;
      createdAt: string;
      createdBy: string | null;
      source: string | null;
      message: string | null;
    }[];
  }>('GET', `/api/workflows/${encodeURIComponent(id)}`);
  if (!r.ok) return refused(r, values.json);
  const lines = r.body.versions.map(
    (v) =>
      `${v.version === r.body.publishedVersion ? '*' : ' '} v${v.version}  ${v.createdAt}  ${v.createdBy ?? '?'} via ${v.source ?? '?'}${v.message ? `  "${v.message}"` : ''}`,
  );
  print(values.json, r.body, `${lines.join('\n')}\n(* published)\n`);
  return 0;
}
