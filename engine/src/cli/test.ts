import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { type Coverage, coverageOf } from '../journey-tests/coverage.ts';
import { type CaseResult, findTestFiles, runJourneyTests, workflowsIn } from '../journey-tests/run-files.ts';
import { installedPlugins } from '../plugins-host/installed-plugins.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';

/** `tend test [paths]`: journey tests on a virtual clock; ends with "N passed, N failed". */
export async function runTests(args: string[]): Promise<number> {
  const config = loadConfig();
  const registry = await PluginRegistry.load(installedPlugins(config));
  const workflowsDir = flag(args, '--workflows') ?? config.workflowsDir;
  const targets = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--workflows');
  const defaultDir = path.join(workflowsDir, 'tests');
  const files =
    targets.length > 0
      ? await findTestFiles(targets)
      : existsSync(defaultDir)
        ? await findTestFiles([defaultDir])
        : [];
  const results = await runJourneyTests(files, workflowsDir, registry, config.defaultTimezone);
  const out = process.stdout;
  for (const r of results) {
    out.write(`${r.ok ? '✓' : '✗'} ${r.workflow} › ${r.name} (${r.ms.toFixed(1)} ms)\n`);
    for (const p of r.problems) out.write(`    ${p}\n      at ${path.relative(process.cwd(), r.file)}\n`);
  }
  const passed = results.filter((r) => r.ok).length;
  const coverage = await coverageByWorkflow(results, workflowsDir, registry);
  if (coverage.length > 0) out.write('\ncoverage (states entered, transitions taken):\n');
  for (const c of coverage) {
    const pct = (n: number, of: number) => (of === 0 ? '100%' : `${Math.round((100 * n) / of)}%`);
    out.write(
      `  ${c.workflow.padEnd(24)} states ${c.states.covered}/${c.states.total} (${pct(c.states.covered, c.states.total)})  transitions ${c.transitions.covered}/${c.transitions.total} (${pct(c.transitions.covered, c.transitions.total)})\n`,
    );
    if (c.states.missed.length > 0) out.write(`    states not entered: ${c.states.missed.join(', ')}\n`);
    if (c.transitions.missed.length > 0)
      out.write(`    transitions not taken: ${c.transitions.missed.join(', ')}\n`);
  }
  out.write(`${passed} passed, ${results.length - passed} failed\n`);
  return results.length - passed > 0 ? 1 : 0;
}

/** Coverage of each workflow the tests exercised. */
async function coverageByWorkflow(
  results: CaseResult[],
  workflowsDir: string,
  registry: PluginRegistry,
): Promise<Coverage[]> {
  const workflows = await workflowsIn(workflowsDir, registry);
  const paths = new Map<string, string[][]>();
  for (const r of results) paths.set(r.workflow, [...(paths.get(r.workflow) ?? []), ...r.paths]);
  const out: Coverage[] = [];
  for (const [id, p] of [...paths].sort(([a], [b]) => a.localeCompare(b))) {
    const wf = workflows.get(id);
    if (wf && typeof wf !== 'string') out.push(coverageOf(wf.def, p));
  }
  return out;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
