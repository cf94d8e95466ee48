import { type PluginDefinition, pluginApis } from './plugin.ts';

const NAME = /^[a-z][a-z0-9-]*$/;
const MIGRATION = /^\d{4}-\d{2}-\d{2}-\d{2}-[a-z0-9-]+$/;
const PATH = /^\/[a-z0-9-]+(\/[a-z0-9-]+)*$/;

/** Checks a definition's shape at load time so a broken plugin fails loudly, not mid-journey. */
// biome-ignore lint/suspicious/noExplicitAny: settings are typed by each plugin
export function definePlugin<Settings = any>(plugin: PluginDefinition<Settings>): PluginDefinition<Settings> {
  const fail = (what: string) => {
    throw new Error(`plugin "${plugin.name}": ${what}`);
  };
  if (!NAME.test(plugin.name)) fail(`the name must match ${NAME}`);
  const seen = new Set<string>();
  for (const step of plugin.steps) {
    if (!NAME.test(step.name)) fail(`step name "${step.name}" must match ${NAME}`);
    if (seen.has(step.name)) fail(`step "${step.name}" is defined twice`);
    seen.add(step.name);
  }
  const migrations = (plugin.migrations ?? []).map((m) => m.name);
  for (const name of migrations)
    if (!MIGRATION.test(name)) fail(`migration "${name}" must match ${MIGRATION}`);
  if (new Set(migrations).size !== migrations.length) fail('two migrations share a name');
  if (migrations.some((name, i) => i > 0 && name < (migrations[i - 1] as string)))
    fail('migrations must be listed in name order');
  for (const path of plugin.routes?.public?.paths ?? [])
    if (!PATH.test(path)) fail(`public path "${path}" must look like /a or /a/b`);
  const prefixes = pluginApis(plugin.routes).map((a) => a.prefix ?? plugin.name);
  for (const prefix of prefixes) if (!NAME.test(prefix)) fail(`API prefix "${prefix}" must match ${NAME}`);
  if (new Set(prefixes).size !== prefixes.length) fail('two API sub-apps share a prefix');
  const events = (plugin.events ?? []).map((e) => e.type);
  if (new Set(events).size !== events.length) fail('an event type is declared twice');
  if (plugin.settings && plugin.settings.type !== 'object')
    fail('settings must be a JSON Schema of an object');
  return plugin;
}
