import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { findTestFiles, runJourneyTests } from '../journey-tests/run-files.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';
import { SHIPPED_PLUGINS } from '../plugins-host/shipped.ts';

/** `tend test [paths]`: journey tests on a virtual clock; ends with "N passed, N failed". */
export async function runTests(args: string[]): Promise<number> {
  const config = loadConfig();
  const registry = await PluginRegistry.load([...SHIPPED_PLUGINS, ...config.plugins]);
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
  out.write(`${passed} passed, ${results.length - passed} failed\n`);
  return results.length - passed > 0 ? 1 : 0;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
