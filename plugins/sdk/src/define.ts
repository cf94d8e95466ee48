import type { PluginManifest } from './manifest.ts';

const NAME = /^[a-z][a-z0-9-]*$/;

/** Checks a manifest's shape at load time so a broken plugin fails loudly, not mid-journey. */
export function definePlugin(manifest: PluginManifest): PluginManifest {
  if (!NAME.test(manifest.name)) throw new Error(`plugin name "${manifest.name}" must match ${NAME}`);
  const seen = new Set<string>();
  for (const step of manifest.steps) {
    if (!NAME.test(step.name)) {
      throw new Error(`step name "${manifest.name}.${step.name}" must match ${NAME}`);
    }
    if (seen.has(step.name)) throw new Error(`step "${manifest.name}.${step.name}" is defined twice`);
    seen.add(step.name);
  }
  return manifest;
}
