import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { parse } from 'yaml';
import type { Config } from '../config.ts';
import { diffWorkflows, hasChanges, type WorkflowChanges } from '../definitions/semantic-diff.ts';
import type { WorkflowDef } from '../definitions/types.ts';
import { apiClient, failure } from './client.ts';
import { collectLocal } from './local-files.ts';
import { serverState } from './push.ts';

interface WorkflowDiff {
  file: string;
  id: string | null;
  /** What the local file is compared with: the published version (what new customers get). */
  against: number | null;
  status: 'new' | 'same' | 'changed';
  changes: WorkflowChanges | null;
  patch: string;
}

interface FileDiff {
  path: string;
  against: number | null;
  status: 'new' | 'same' | 'changed';
  patch: string;
}

/**
 * `tend diff [paths]`: for each local workflow, what differs from the published version, as
 * states and transitions added, removed and changed, then as text; templates and surveys as text.
 */
export async function runDiff(config: Config, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, 'exit-code': { type: 'boolean', default: false } },
  });
  const call = apiClient(config);
  const state = await serverState(call);
  const local = await collectLocal(
    positionals.length > 0 ? positionals : [config.workflowsDir],
    state.folders,
  );
  const held = new Map(state.workflows.map((w) => [w.id, w]));
  const workflows: WorkflowDiff[] = [];
  for (const w of local.workflows) {
    const published = w.id ? held.get(w.id)?.published : undefined;
    if (!published) {
      workflows.push({ file: w.file, id: w.id, against: null, status: 'new', changes: null, patch: '' });
      continue;
    }
    if (published.hash === w.hash) {
      workflows.push({
        file: w.file,
        id: w.id,
        against: published.version,
        status: 'same',
        changes: null,
        patch: '',
      });
      continue;
    }
    const r = await call(
      'GET',
      `/api/workflows/${encodeURIComponent(w.id as string)}/versions/${published.version}`,
    );
    if (!r.ok) throw new Error(`cannot read ${w.id} v${published.version}: ${failure(r)}`);
    const server = String(r.body.yaml);
    workflows.push({
      file: w.file,
      id: w.id,
      against: published.version,
      status: 'changed',
      changes: diffWorkflows(parseLoose(server), parseLoose(w.yaml)),
      patch: createTwoFilesPatch(`${w.id} v${published.version} (published)`, w.file, server, w.yaml),
    });
  }
  const storedFiles = new Map(state.files.map((f) => [f.path, f]));
  const files: FileDiff[] = [];
  for (const f of local.files) {
    const stored = storedFiles.get(f.path);
    if (!stored) {
      files.push({ path: f.path, against: null, status: 'new', patch: '' });
      continue;
    }
    if (stored.hash === f.hash) {
      files.push({ path: f.path, against: stored.version, status: 'same', patch: '' });
      continue;
    }
    const r = await call('GET', `/api/files?path=${encodeURIComponent(f.path)}`);
    if (!r.ok) throw new Error(`cannot read ${f.path}: ${failure(r)}`);
    const server = String(r.body.content ?? '');
    files.push({
      path: f.path,
      against: stored.version,
      status: 'changed',
      patch: createTwoFilesPatch(`${f.path} v${stored.version}`, f.file, server, f.content),
    });
  }
  const differs = [...workflows, ...files].some((d) => d.status !== 'same');
  if (values.json) process.stdout.write(`${JSON.stringify({ workflows, files }, null, 2)}\n`);
  else process.stdout.write(describe(workflows, files));
  return values['exit-code'] && differs ? 1 : 0;
}

function describe(workflows: WorkflowDiff[], files: FileDiff[]): string {
  const lines: string[] = [];
  for (const w of workflows) {
    if (w.status === 'same') continue;
    if (w.status === 'new') {
      lines.push(`${w.file}: new workflow${w.id ? ` "${w.id}"` : ''} (not published on the server)`, '');
      continue;
    }
    lines.push(`${w.file}: ${w.id} differs from published v${w.against}`);
    const c = w.changes;
    if (c && hasChanges(c)) {
      for (const s of c.states.added) lines.push(`  + state ${s}`);
      for (const s of c.states.removed) lines.push(`  - state ${s}`);
      for (const s of c.states.changed) lines.push(`  ~ state ${s.state}: ${s.changes.join('; ')}`);
      for (const t of c.transitions.added) lines.push(`  + transition ${t.from} → ${t.to} (${t.via})`);
      for (const t of c.transitions.removed) lines.push(`  - transition ${t.from} → ${t.to} (${t.via})`);
      for (const x of c.workflow) lines.push(`  ~ ${x}`);
    } else lines.push('  (formatting and comments only)');
    lines.push('', w.patch);
  }
  for (const f of files) {
    if (f.status === 'same') continue;
    lines.push(f.status === 'new' ? `${f.path}: new file` : `${f.path}: differs from v${f.against}`, '');
    if (f.patch) lines.push(f.patch);
  }
  const same = [...workflows, ...files].filter((d) => d.status === 'same').length;
  lines.push(`${workflows.length + files.length - same} differ, ${same} the same`);
  return `${lines.join('\n')}\n`;
}

function parseLoose(yaml: string): Partial<WorkflowDef> {
  try {
    const value = parse(yaml) as unknown;
    return value && typeof value === 'object' ? (value as Partial<WorkflowDef>) : {};
  } catch {
    return {};
  }
}
