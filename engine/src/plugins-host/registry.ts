import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileKind, PluginManifest, StepDefinition, StepRetryPolicy } from '@tend/plugin-sdk';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { StepCatalog } from '../definitions/catalog.ts';
import { corePlugin } from './core-set.ts';

/** A step ready to run: its definition, its full id, compiled schemas and retry policy. */
export interface LoadedStep {
  id: string;
  plugin: PluginManifest;
  // biome-ignore lint/suspicious/noExplicitAny: each step has its own config type
  def: StepDefinition<any, any>;
  retry: StepRetryPolicy;
  checkConfig: ValidateFunction;
  checkOutput: ValidateFunction | null;
}

const DEFAULT_RETRY: StepRetryPolicy = { attempts: 5, backoffSeconds: 2, timeoutSeconds: 30 };

/** The installed plugins: what validation checks `uses:` against and what the runtime runs. */
export class PluginRegistry implements StepCatalog {
  readonly #steps = new Map<string, LoadedStep>();
  readonly #plugins: PluginManifest[] = [];
  readonly #ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });

  constructor(manifests: PluginManifest[]) {
    addFormats.default(this.#ajv);
    for (const manifest of [corePlugin, ...manifests]) this.#add(manifest);
  }

  /** Imports plugin modules (package names or file paths) and registers their manifests. */
  static async load(specifiers: string[], baseDir = process.cwd()): Promise<PluginRegistry> {
    const manifests: PluginManifest[] = [];
    for (const specifier of specifiers) {
      const target =
        specifier.startsWith('.') || isAbsolute(specifier)
          ? pathToFileURL(resolve(baseDir, specifier)).href
          : specifier;
      const mod = (await import(target)) as { default?: PluginManifest; plugin?: PluginManifest };
      const manifest = mod.default ?? mod.plugin;
      if (!manifest?.name || !Array.isArray(manifest.steps)) {
        throw new Error(`plugin module "${specifier}" does not export a manifest (default export)`);
      }
      manifests.push(manifest);
    }
    return new PluginRegistry(manifests);
  }

  #add(manifest: PluginManifest): void {
    if (this.#plugins.some((p) => p.name === manifest.name)) {
      throw new Error(`two plugins are named "${manifest.name}"`);
    }
    this.#plugins.push(manifest);
    for (const def of manifest.steps) {
      const id = `${manifest.name}.${def.name}`;
      this.#steps.set(id, {
        id,
        plugin: manifest,
        def,
        retry: { ...DEFAULT_RETRY, ...def.retry },
        checkConfig: this.#ajv.compile(def.configSchema),
        checkOutput: def.outputSchema ? this.#ajv.compile(def.outputSchema) : null,
      });
    }
  }

  get(stepId: string): LoadedStep | undefined {
    return this.#steps.get(stepId);
  }

  plugins(): readonly PluginManifest[] {
    return this.#plugins;
  }

  /** The plugin that reads files in this folder of the workflows folder, with its check. */
  fileKind(folder: string): FileKind | undefined {
    for (const p of this.#plugins) {
      const kind = p.files?.find((f) => f.folder === folder);
      if (kind) return kind;
    }
    return undefined;
  }

  fileFolders(): string[] {
    return this.#plugins.flatMap((p) => (p.files ?? []).map((f) => f.folder));
  }

  stepIds(): string[] {
    return [...this.#steps.keys()];
  }

  has(stepId: string): boolean {
    return this.#steps.has(stepId);
  }

  checkConfig(stepId: string, config: unknown): { path: (string | number)[]; message: string }[] {
    const step = this.#steps.get(stepId);
    if (!step) return [{ path: [], message: 'unknown step' }];
    if (step.checkConfig(config)) return [];
    return (step.checkConfig.errors ?? []).map((e) => {
      const path = e.instancePath
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      if (e.keyword === 'required') {
        return {
          path,
          message: `"${(e.params as { missingProperty: string }).missingProperty}" is required`,
        };
      }
      if (e.keyword === 'additionalProperties') {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        return { path: [...path, key], message: `unknown setting "${key}"` };
      }
      if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
        return { path, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
      }
      const field = path.length > 0 ? `"${path.join('.')}" ` : '';
      return { path, message: `${field}${e.message ?? 'is invalid'}` };
    });
  }
}
