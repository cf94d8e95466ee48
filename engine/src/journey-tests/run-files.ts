import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import { compileWorkflow } from '../compiler/compile.ts';
import { inlineRunner } from '../core/inline-steps.ts';
import { validateWorkflow } from '../definitions/validate.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import { workflowFiles } from '../publishing/load-folder.ts';
import { checkExpectation } from './check.ts';
import { parseJourneyTests } from './format.ts';
import { simulate } from './simulate.ts';

export interface CaseResult {
  file: string;
  workflow: string;
  name: string;
  ok: boolean;
  problems: string[];
  ms: number;
  /** The states each simulated run entered, in order (for coverage). */
  paths: string[][];
}

/** Test files under the given paths (folders are searched for *.test.yaml, recursively). */
export async function findTestFiles(targets: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const target of targets) {
    const info = await stat(target).catch(() => null);
    if (!info) throw new Error(`${target}: no such file or folder`);
    if (info.isFile()) found.push(target);
    else {
      const entries = await readdir(target, { recursive: true, withFileTypes: true });
      for (const e of entries)
        if (e.isFile() && e.name.endsWith('.test.yaml')) found.push(path.join(e.parentPath, e.name));
    }
  }
  return found.sort();
}

/** Compiles every workflow in a folder, by id (what test files name). */
export async function workflowsIn(
  dir: string,
  registry: PluginRegistry,
): Promise<Map<string, CompiledWorkflow | string>> {
  const out = new Map<string, CompiledWorkflow | string>();
  for (const file of await workflowFiles(dir)) {
    const text = await readFile(file, 'utf8');
    if (!/^\s*states\s*:/m.test(text)) continue;
    const v = validateWorkflow(text, registry);
    if (v.ok) out.set(v.def.id, compileWorkflow(v.def, v.hash));
    else {
      const id = /^id:\s*([\w-]+)/m.exec(text)?.[1];
      const first = v.issues[0];
      if (id) out.set(id, `${path.basename(file)}:${first?.line}:${first?.column}: ${first?.message}`);
    }
  }
  return out;
}

/** Runs the cases of test files against the workflows of `workflowsDir`. */
export async function runJourneyTests(
  files: string[],
  workflowsDir: string,
  registry: PluginRegistry,
  defaultZone: string,
): Promise<CaseResult[]> {
  const workflows = await workflowsIn(workflowsDir, registry);
  const inline = inlineRunner(registry);
  const results: CaseResult[] = [];
  for (const file of files) {
    const parsed = parseJourneyTests(await readFile(file, 'utf8'));
    if (!parsed.ok) {
      const problems = parsed.issues.map((i) => `${i.line}:${i.column}: ${i.message}`);
      results.push({ file, workflow: '?', name: '(file)', ok: false, problems, ms: 0, paths: [] });
      continue;
    }
    const wf = workflows.get(parsed.file.workflow);
    for (const test of parsed.file.tests) {
      const started = performance.now();
      let problems: string[];
      let paths: string[][] = [];
      if (!wf) problems = [`no workflow with id "${parsed.file.workflow}" in ${workflowsDir}`];
      else if (typeof wf === 'string') problems = [`the workflow is invalid: ${wf}`];
      else {
        try {
          const runs = simulate(wf, registry, inline, test, defaultZone);
          paths = runs.map((r) => r.path);
          const defaultCustomer = test.customer?.id ?? test.customers?.[0]?.id ?? 'customer-1';
          const expectations = Array.isArray(test.expect) ? test.expect : [test.expect];
          problems = expectations.flatMap((e) => checkExpectation(e, runs, defaultCustomer));
        } catch (error) {
          problems = [`the simulation failed: ${(error as Error).message}`];
        }
      }
      results.push({
        file,
        workflow: parsed.file.workflow,
        name: test.name,
        ok: problems.length === 0,
        problems,
        ms: performance.now() - started,
        paths,
      });
    }
  }
  return results;
}
