import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckContext } from '@tend/plugin-sdk';
import { didYouMean } from '../definitions/suggest.ts';
import type { WorkflowDef } from '../definitions/types.ts';
import { issueAt, type YamlSource } from '../definitions/yaml-source.ts';
import type { ValidationIssue } from '../errors.ts';
import type { PluginHost } from '../plugins-host/plugin-host.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import type { Db } from '../store/db.ts';
import { listSegments } from '../store/segments.ts';
import { toTrigger } from '../triggers/registry.ts';

/** Where the names a journey uses are looked up: its files, the saved segments, plugins' settings. */
export interface NameSources {
  /** A file under the workflows folder (of the push in progress first), or null. */
  file(relative: string): Promise<string | null>;
  /** The files under a folder of the workflows folder, as paths relative to it. */
  files(folder: string): Promise<string[]>;
  /** Ids of the saved segments; null where none can be known (offline `tend validate`). */
  segments(): Promise<string[]> | null;
  /** What a plugin's check sees of its own: its settings, and the host's facts. */
  plugin(name: string): Pick<CheckContext, 'settings' | 'host'>;
}

/**
 * What the schema cannot see: every name a step refers to (templates, surveys…, through each
 * step's `check`), and the saved segment a `segment:` trigger names. Located like every other
 * validation issue (the step's `with:` path, line and column).
 */
export async function checkNames(
  source: YamlSource,
  def: WorkflowDef,
  registry: PluginRegistry,
  sources: NameSources,
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  const trigger = toTrigger(def.trigger);
  const segments = sources.segments();
  if (trigger?.kind === 'segment' && segments && !trigger.segment.includes('{{')) {
    const saved = await segments;
    if (!saved.includes(trigger.segment)) {
      issues.push(
        issueAt(
          source,
          ['trigger', 'segment'],
          `there is no saved segment "${trigger.segment}"${didYouMean(trigger.segment, saved)}; segments: ${saved.join(', ') || 'none yet'}`,
        ),
      );
    }
  }
  for (const [name, state] of Object.entries(def.states ?? {})) {
    for (const [i, step] of (state.steps ?? []).entries()) {
      const loaded = registry.get(step.uses);
      if (!loaded?.def.check) continue;
      const ctx: CheckContext = {
        file: (p) => sources.file(p),
        files: (folder) => sources.files(folder),
        segments: async () => (await sources.segments()) ?? [],
        ...sources.plugin(loaded.plugin.name),
      };
      for (const issue of await loaded.def.check(step.with ?? {}, ctx)) {
        issues.push(issueAt(source, ['states', name, 'steps', i, 'with', ...issue.path], issue.message));
      }
    }
  }
  return issues;
}

/** The files of a workflows folder on disk (a server's, or a local checkout's). */
export function folderSources(workflowsDir: string) {
  return {
    file: (relative: string) =>
      readFile(path.join(workflowsDir, ...relative.split('/')), 'utf8').catch(() => null),
    async files(folder: string): Promise<string[]> {
      const entries = await readdir(path.join(workflowsDir, ...folder.split('/')), {
        recursive: true,
        withFileTypes: true,
      }).catch(() => []);
      return entries
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => path.relative(workflowsDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
        .sort();
    },
  };
}

/**
 * The names a server knows: files of a push in progress first, then those in its workflows
 * folder; its saved segments; each plugin's settings.
 */
export function serverSources(
  db: Db,
  plugins: PluginHost,
  workflowsDir: string,
  pushed: ReadonlyMap<string, string> = new Map(),
): NameSources {
  const folder = folderSources(workflowsDir);
  return {
    file: async (relative) => pushed.get(relative) ?? (await folder.file(relative)),
    async files(dir) {
      const inPush = [...pushed.keys()].filter((p) => p.startsWith(`${dir}/`));
      return [...new Set([...(await folder.files(dir)), ...inPush])].sort();
    },
    segments: async () => (await listSegments(db)).map((s) => s.id),
    plugin(name) {
      const ctx = plugins.context(name);
      return { settings: ctx.settings as Record<string, unknown>, host: ctx.host };
    },
  };
}
