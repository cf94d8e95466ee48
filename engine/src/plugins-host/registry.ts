import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  EventDefinition,
  FacetDefinition,
  FileKind,
  PluginDefinition,
  StepDefinition,
  StepRetryPolicy,
} from '@tend/plugin-sdk';
import { PROFILE_FIELDS, pluginApis, schemaProblem } from '@tend/plugin-sdk';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { StepCatalog } from '../definitions/catalog.ts';
import { corePlugin } from './core-set.ts';

/** A step ready to run: its definition, its full id, compiled schemas and retry policy. */
export interface LoadedStep {
  id: string;
  plugin: PluginDefinition;
  // biome-ignore lint/suspicious/noExplicitAny: each step has its own config type
  def: StepDefinition<any, any>;
  retry: StepRetryPolicy;
  checkConfig: ValidateFunction;
  checkOutput: ValidateFunction | null;
}

const DEFAULT_RETRY: StepRetryPolicy = { attempts: 5, backoffSeconds: 2, timeoutSeconds: 30 };
/** Fields of the customer that a plugin's facet may not take. */
const CUSTOMER_FIELDS = new Set<string>([
  ...PROFILE_FIELDS,
  'attributes',
  'tags',
  'consent',
  'stage',
  'rfm',
  'createdAt',
  'segments',
]);

/**
 * The installed plugins: what validation checks `uses:` against, what the runtime runs, and
 * everything else each plugin declares (events, facets, files, routes). Loading refuses plugins
 * that collide (a name, a public path, a facet, a service) or miss a service they require.
 */
export class PluginRegistry implements StepCatalog {
  readonly #steps = new Map<string, LoadedStep>();
  readonly #plugins: PluginDefinition[] = [];
  readonly #ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });

  constructor(definitions: PluginDefinition[]) {
    addFormats.default(this.#ajv);
    for (const definition of [corePlugin, ...definitions]) this.#add(definition);
    this.#checkTogether();
  }

  /** Imports plugin modules (package names or file paths) and registers their definitions. */
  static async load(specifiers: string[], baseDir = process.cwd()): Promise<PluginRegistry> {
    const definitions: PluginDefinition[] = [];
    for (const specifier of specifiers) {
      const target =
        specifier.startsWith('.') || isAbsolute(specifier)
          ? pathToFileURL(resolve(baseDir, specifier)).href
          : specifier;
      const mod = (await import(target)) as { default?: PluginDefinition; plugin?: PluginDefinition };
      const definition = mod.default ?? mod.plugin;
      if (!definition?.name || !Array.isArray(definition.steps)) {
        throw new Error(`plugin module "${specifier}" does not export a plugin definition (default export)`);
      }
      definitions.push(definition);
    }
    return new PluginRegistry(definitions);
  }

  #add(plugin: PluginDefinition): void {
    if (this.#plugins.some((p) => p.name === plugin.name)) {
      throw new Error(`two plugins are named "${plugin.name}"`);
    }
    this.#plugins.push(plugin);
    for (const def of plugin.steps) {
      const id = `${plugin.name}.${def.name}`;
      this.#steps.set(id, {
        id,
        plugin,
        def,
        retry: { ...DEFAULT_RETRY, ...def.retry },
        checkConfig: this.#ajv.compile(def.configSchema),
        checkOutput: def.outputSchema ? this.#ajv.compile(def.outputSchema) : null,
      });
    }
  }

  #checkTogether(): void {
    const owners = new Map<string, string>();
    const claim = (what: string, by: string) => {
      const before = owners.get(what);
      if (before) throw new Error(`plugins "${before}" and "${by}" both declare ${what}`);
      owners.set(what, by);
    };
    for (const p of this.#plugins) {
      for (const path of p.routes?.public?.paths ?? []) claim(`the public path ${path}`, p.name);
      for (const api of pluginApis(p.routes)) claim(`the API prefix /api/${api.prefix ?? p.name}`, p.name);
      if (p.facet) {
        if (CUSTOMER_FIELDS.has(p.facet.name)) {
          throw new Error(`plugin "${p.name}": the facet "${p.facet.name}" is a customer field`);
        }
        claim(`the customer facet "${p.facet.name}"`, p.name);
      }
      for (const service of Object.keys(p.provides ?? {})) claim(`the service "${service}"`, p.name);
      for (const e of p.events ?? []) claim(`the event type "${e.type}"`, p.name);
      for (const f of p.files ?? []) claim(`the folder workflows/${f.folder}`, p.name);
    }
    for (const p of this.#plugins) {
      for (const service of p.requires ?? []) {
        if (!owners.has(`the service "${service}"`)) {
          throw new Error(
            `plugin "${p.name}" needs the service "${service}", which no installed plugin provides`,
          );
        }
      }
    }
  }

  get(stepId: string): LoadedStep | undefined {
    return this.#steps.get(stepId);
  }

  plugins(): readonly PluginDefinition[] {
    return this.#plugins;
  }

  /** Every service installed plugins provide, by name. */
  services(): string[] {
    return this.#plugins.flatMap((p) => Object.keys(p.provides ?? {}));
  }

  /** The plugin that provides a service (`provides`), if one does. */
  provider(service: string): PluginDefinition | undefined {
    return this.#plugins.find((p) => p.provides && service in p.provides);
  }

  /** Every event type plugins emit, with its plugin. */
  events(): (EventDefinition & { plugin: string })[] {
    return this.#plugins.flatMap((p) => (p.events ?? []).map((e) => ({ ...e, plugin: p.name })));
  }

  facets(): FacetDefinition[] {
    return this.#plugins.flatMap((p) => (p.facet ? [p.facet] : []));
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
    return (step.checkConfig.errors ?? []).flatMap((e) => {
      const path = e.instancePath
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const message = schemaProblem(e);
      if (message === null) return [];
      // An unknown setting is marked on itself; a missing one on the object that lacks it.
      if (e.keyword === 'additionalProperties')
        return [
          { path: [...path, (e.params as { additionalProperty: string }).additionalProperty], message },
        ];
      return [
        {
          path,
          message: path.length > 0 && e.keyword !== 'required' ? `"${path.join('.')}" ${message}` : message,
        },
      ];
    });
  }
}
