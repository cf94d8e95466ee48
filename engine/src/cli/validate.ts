import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Config, loadConfig } from '../config.ts';
import { validateWorkflow } from '../definitions/validate.ts';
import type { ValidationIssue } from '../errors.ts';
import { parseLifecycle } from '../lifecycle/config.ts';
import { pluginSettings } from '../plugin-settings.ts';
import { installedPlugins } from '../plugins-host/installed-plugins.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';
import { checkNames, folderSources, type NameSources } from '../publishing/check-names.ts';
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
    if (!result.ok) {
      problems += report(shown, result.issues);
      continue;
    }
    const names = await checkNames(result.source, result.def, registry, localSources(config, registry, file));
    if (names.length === 0) process.stdout.write(`${shown}: ok (${result.def.id})\n`);
    else problems += report(shown, names);
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

/**
 * Without a server, names are looked up in the workflows folder the file is in (or
 * TEND_WORKFLOWS_DIR): its templates and surveys. Saved segments live on a server: not checked.
 */
function localSources(config: Config, registry: PluginRegistry, file: string): NameSources {
  const inside = path.resolve(file).startsWith(path.resolve(config.workflowsDir) + path.sep);
  const dir = inside ? config.workflowsDir : path.dirname(path.resolve(file));
  return {
    ...folderSources(dir),
    segments: () => null,
    plugin(name) {
      const schema = registry.plugins().find((p) => p.name === name)?.settings;
      let settings: Record<string, unknown> = {};
      try {
        settings = pluginSettings(config, name, schema) as Record<string, unknown>;
      } catch {
        // Settings are the server's business: a check sees none rather than failing here.
      }
      return {
        settings,
        host: {
          publicUrl: () => config.publicUrl ?? config.url,
          workflowsDir: dir,
          defaultTimezone: config.defaultTimezone,
          defaultLocale: config.defaultLocale,
          outboundAllow: config.outboundAllow,
          services: registry.services(),
        },
      };
    },
  };
}
