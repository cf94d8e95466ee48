import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import type { Config } from '../config.ts';
import { apiClient, failure } from './client.ts';
import { serverState } from './push.ts';

/**
 * `tend pull [folder]`: writes the published version of every workflow (into the file that has
 * its id, else `<id>.yaml`) and the latest template and survey files. Files already equal are
 * left alone.
 */
export async function runPull(config: Config, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const dir = positionals[0] ?? config.workflowsDir;
  const call = apiClient(config);
  const state = await serverState(call);
  await mkdir(dir, { recursive: true });
  const fileOf = await filesById(dir);
  const written: string[] = [];
  let same = 0;
  const put = async (target: string, content: string) => {
    const current = await readFile(target, 'utf8').catch(() => null);
    if (current === content) {
      same += 1;
      return;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    written.push(path.relative(process.cwd(), target) || target);
  };
  for (const w of state.workflows) {
    if (!w.published) continue;
    const r = await call('GET', `/api/workflows/${encodeURIComponent(w.id)}/versions/${w.published.version}`);
    if (!r.ok) throw new Error(`cannot read ${w.id} v${w.published.version}: ${failure(r)}`);
    await put(fileOf.get(w.id) ?? path.join(dir, `${w.id}.yaml`), String(r.body.yaml));
  }
  for (const f of state.files) {
    const r = await call('GET', `/api/files?path=${encodeURIComponent(f.path)}`);
    if (!r.ok) throw new Error(`cannot read ${f.path}: ${failure(r)}`);
    if (typeof r.body.content === 'string') await put(path.join(dir, ...f.path.split('/')), r.body.content);
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ written, unchanged: same }, null, 2)}\n`);
  else {
    for (const w of written) process.stdout.write(`  wrote ${w}\n`);
    process.stdout.write(`pulled: ${written.length} file(s) written, ${same} already up to date\n`);
  }
  return 0;
}

/** The workflow file of each id already in the folder. */
async function filesById(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await readdir(dir).catch(() => [])) {
    if (!/\.ya?ml$/.test(name) || name.endsWith('.test.yaml')) continue;
    try {
      const doc = parse(await readFile(path.join(dir, name), 'utf8')) as { id?: unknown };
      if (typeof doc?.id === 'string') out.set(doc.id, path.join(dir, name));
    } catch {}
  }
  return out;
}
