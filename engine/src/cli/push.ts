import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { findTestFiles, runJourneyTests } from '../journey-tests/run-files.ts';
import { installedPlugins } from '../plugins-host/installed-plugins.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';
import type { PushIssue, PushResult } from '../publishing/push.ts';
import { type ApiCall, apiClient, failure } from './client.ts';
import { collectLocal, type LocalSet } from './local-files.ts';

/** What the server holds, by hash (GET /api/push/state). */
export interface ServerState {
  workflows: {
    id: string;
    latest: { version: number; hash: string } | null;
    published: { version: number; hash: string } | null;
  }[];
  files: { path: string; version: number; hash: string }[];
  folders: string[];
}

export async function serverState(call: ApiCall): Promise<ServerState> {
  const r = await call<ServerState>('GET', '/api/push/state');
  if (!r.ok) throw new Error(`cannot read what Tend holds: ${failure(r)}`);
  return r.body;
}

const USAGE = `usage: tend push [paths] [--publish] [--dry-run] [--test] [--message text] [--json]

Uploads the workflows, templates and surveys under paths (default: the workflows folder) that
differ from what Tend holds. Everything is validated before anything changes.
  --publish   make the pushed versions the ones new customers start on
  --dry-run   validate and show what would change, change nothing
  --test      run the journey tests first; refuse the push if any fails
  --message   note stored with each new version
  --json      print the result as JSON`;

/** `tend push`: all or nothing, exit 1 on any problem. */
export async function runPush(config: Config, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      publish: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      test: { type: 'boolean', default: false },
      message: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = (text: string) => {
    if (!values.json) process.stdout.write(text);
  };
  const call = apiClient(config);
  const state = await serverState(call);
  const local = await collectLocal(
    positionals.length > 0 ? positionals : [config.workflowsDir],
    state.folders,
  );
  if (values.test && !(await testsPass(config, local, values.json))) return 1;

  const byId = new Map(state.workflows.map((w) => [w.id, w]));
  const stored = new Map(state.files.map((f) => [f.path, f.hash]));
  const workflows = local.workflows.filter((w) => {
    const held = w.id ? byId.get(w.id) : undefined;
    if (values.publish) return held?.published?.hash !== w.hash;
    return held?.latest?.hash !== w.hash && held?.published?.hash !== w.hash;
  });
  const files = local.files.filter((f) => stored.get(f.path) !== f.hash);
  const unchanged = local.workflows.length - workflows.length + local.files.length - files.length;
  if (workflows.length + files.length === 0) {
    if (values.json)
      process.stdout.write(`${JSON.stringify({ workflows: [], files: [], unchanged }, null, 2)}\n`);
    out(`nothing to push: ${unchanged} file(s) unchanged\n`);
    return 0;
  }
  const r = await call<PushResult>('POST', '/api/push', {
    workflows: workflows.map((w) => ({ file: w.file, yaml: w.yaml })),
    files: files.map((f) => ({ path: f.path, content: f.content })),
    publish: values.publish,
    dryRun: values['dry-run'],
    ...(values.message ? { message: values.message } : {}),
  });
  if (!r.ok) {
    const issues = (r.body.error?.details ?? []) as PushIssue[];
    if (values.json) process.stdout.write(`${JSON.stringify({ error: r.body.error }, null, 2)}\n`);
    else if (r.status === 422 && issues.length > 0) {
      const where = new Map(files.map((f) => [f.path, f.file]));
      for (const i of issues)
        process.stderr.write(`${where.get(i.file) ?? i.file}:${i.line}:${i.column}: ${i.message}\n`);
      process.stderr.write(`push refused: ${issues.length} problem(s); nothing was changed\n`);
    } else process.stderr.write(`push failed: ${failure(r)}\n`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...r.body, unchanged }, null, 2)}\n`);
    return 0;
  }
  const verb = r.body.dryRun ? 'would ' : '';
  for (const w of r.body.workflows) {
    const what =
      w.status === 'created' || w.status === 'would-create'
        ? `${verb}create ${w.id} v${w.version ?? '?'}`
        : `${w.id} v${w.version} already stored`;
    const published = w.published
      ? `, ${verb}publish${w.previouslyPublished ? ` (was v${w.previouslyPublished})` : ''}`
      : '';
    out(`  ${w.file}: ${what}${published}\n`);
  }
  for (const f of r.body.files)
    out(`  ${f.path}: ${f.status === 'unchanged' ? 'unchanged' : `${verb}store v${f.version ?? '?'}`}\n`);
  out(
    `${r.body.dryRun ? 'dry run: nothing changed' : 'pushed'}: ${r.body.workflows.length} workflow(s), ${r.body.files.length} file(s); ${unchanged} unchanged\n`,
  );
  return 0;
}

/** Runs the journey tests of the pushed folders; prints the failures. */
async function testsPass(config: Config, local: LocalSet, json: boolean): Promise<boolean> {
  const registry = await PluginRegistry.load(installedPlugins(config));
  let failed = 0;
  let passed = 0;
  for (const root of local.roots) {
    const files = await findTestFiles([path.join(root, 'tests')]).catch(() => []);
    for (const r of await runJourneyTests(files, root, registry, config.defaultTimezone)) {
      if (r.ok) passed += 1;
      else {
        failed += 1;
        if (!json)
          process.stderr.write(
            `✗ ${r.workflow} › ${r.name}\n${r.problems.map((p) => `    ${p}\n`).join('')}`,
          );
      }
    }
  }
  if (failed > 0) {
    const message = `push refused: ${failed} journey test(s) failed; nothing was changed`;
    if (json)
      process.stdout.write(`${JSON.stringify({ error: { code: 'tests_failed', message } }, null, 2)}\n`);
    else process.stderr.write(`${message}\n`);
    return false;
  }
  if (!json) process.stdout.write(`journey tests: ${passed} passed\n`);
  return true;
}
