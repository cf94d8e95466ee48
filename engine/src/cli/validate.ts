import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { validateWorkflow } from '../definitions/validate.ts';
import type { ValidationIssue } from '../errors.ts';
import { parseLifecycle } from '../lifecycle/config.ts';
import { installedPlugins } from '../plugins-host/installed-plugins.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';
import { workflowFiles } from '../publishing/load-folder.ts';

/** `tend validate <files or folders>`: every problem as file:line:col, exit 1 if any. */
export async function runValidate(args: string[]): Promise<number> {
  const config = loadConfig();
  const registry = await PluginRegistry.load(installedPlugins(config));
  const targets = args.length > 0 ? args : [config.workflowsDir];
  const files: string[] = [];
  for (const target of targets) {
    const info = await stat(target).catch(() => null);
    if (!info) {
      process.stderr.write(`${target}: no such file or folder\n`);
      return 2;
    }
    files.push(...(info.isDirectory() ? await workflowFiles(target) : [target]));
  }
  let problems = 0;
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const shown = path.relative(process.cwd(), file) || file;
    if (path.basename(file) === 'lifecycle.yaml') {
      const lifecycle = parseLifecycle(text);
      if (lifecycle.ok)
        process.stdout.write(`${shown}: ok (lifecycle, ${lifecycle.config.stages.length} stages)\n`);
      else problems += report(shown, lifecycle.issues);
      continue;
    }
    if (!/^\s*states\s*:/m.test(text) && !args.includes(file)) continue;
    const result = validateWorkflow(text, registry);
    if (result.ok) {
      process.stdout.write(`${shown}: ok (${result.def.id})\n`);
      continue;
    }
    problems += report(shown, result.issues);
  }
  process.stdout.write(`${files.length} file(s), ${problems} problem(s)\n`);
  return problems > 0 ? 1 : 0;
}

function report(shown: string, issues: ValidationIssue[]): number {
  for (const issue of issues) {
    process.stdout.write(
      `${shown}:${issue.line}:${issue.column}: ${issue.message}${issue.path ? `  [${issue.path}]` : ''}\n`,
    );
  }
  return issues.length;
}
