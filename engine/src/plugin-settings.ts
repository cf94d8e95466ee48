import type { JsonSchema } from '@tend/plugin-sdk';
import { schemaProblem } from '@tend/plugin-sdk';
import { Ajv, type ErrorObject } from 'ajv';
import { type Config, ConfigError, list } from './config.ts';

/*
 * Plugins' settings (DESIGN §5), read from the environment config.ts read once: a plugin never
 * sees process.env, only its validated settings.
 */

/** The environment variable a plugin's setting is read from: its `env`, else TEND_<PLUGIN>_<NAME>. */
export function settingVariable(plugin: string, property: string, schema: JsonSchema): string {
  if (typeof schema.env === 'string') return schema.env;
  const snake = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/-/g, '_')
      .toUpperCase();
  return `TEND_${snake(plugin)}_${snake(property)}`;
}

const settingsAjv = new Ajv({ allErrors: true, strict: false, useDefaults: true });

/**
 * A plugin's settings (DESIGN §5): each property of its schema read from its environment
 * variable, turned into the schema's type (numbers, true/false, comma-separated lists, JSON
 * objects), defaults filled in, and checked; throws ConfigError naming the variables.
 */
export function pluginSettings(config: Config, plugin: string, schema: JsonSchema | undefined): object {
  const values: Record<string, unknown> = {};
  const properties = schema?.properties ?? {};
  const problems: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const variable = settingVariable(plugin, name, property);
    const raw = config.environment[variable]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = fromText(raw, property);
    if (value === undefined) problems.push(`${variable}: "${raw}" is not ${describeType(property)}`);
    else values[name] = value;
  }
  if (problems.length === 0 && schema && !settingsAjv.validate(schema, values)) {
    for (const e of settingsAjv.errors ?? []) problems.push(describeSetting(plugin, properties, e));
  }
  if (problems.length > 0) {
    throw new ConfigError(`settings of the ${plugin} plugin:\n  ${problems.join('\n  ')}`);
  }
  return values;
}

function fromText(raw: string, property: JsonSchema): unknown {
  const type = Array.isArray(property.type) ? property.type[0] : property.type;
  if (type === 'integer' || type === 'number') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  }
  if (type === 'boolean')
    return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : undefined;
  if (type === 'array') return list(raw);
  if (type === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  return raw;
}

const describeType = (property: JsonSchema) =>
  property.type === 'integer'
    ? 'a whole number'
    : property.type === 'number'
      ? 'a number'
      : property.type === 'boolean'
        ? 'true or false'
        : 'valid JSON';

function describeSetting(plugin: string, properties: Record<string, JsonSchema>, e: ErrorObject): string {
  const variable = (name: string) => settingVariable(plugin, name, properties[name] ?? {});
  if (e.keyword === 'dependencies' || e.keyword === 'dependentRequired') {
    const p = e.params as { property: string; missingProperty: string };
    return `${variable(p.property)} is set: set ${variable(p.missingProperty)} too`;
  }
  if (e.keyword === 'required')
    return `set ${variable((e.params as { missingProperty: string }).missingProperty)}`;
  const name = e.instancePath.split('/')[1] ?? '';
  return `${name ? variable(name) : plugin} ${schemaProblem(e) ?? 'is not valid'}`;
}
