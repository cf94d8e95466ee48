// Loads the modules `tend start` runs, in a process of its own that exits at once, so that the
// engine process after it finds every one of them stripped and compiled in Node.js's compile
// cache (tend.mjs). A module the cache lacks, as after every update, makes the engine load the
// type stripper, whose memory then stays resident for the engine's life: about 21 MiB.
import module from 'node:module';

module.enableCompileCache?.();
// The CLI's whole module graph; with no command it prints its usage, to stdout, which tend.mjs drops.
await import('../src/cli/main.ts');
const { loadConfig } = await import('../src/config.ts');
const { installedPlugins } = await import('../src/plugins-host/installed-plugins.ts');
const { PluginRegistry } = await import('../src/plugins-host/registry.ts');
let specifiers;
try {
  specifiers = installedPlugins(loadConfig());
} catch {
  // A configuration error is the engine's to report; the shipped plugins are still worth loading.
  specifiers = installedPlugins({ plugins: [] });
}
await PluginRegistry.load(specifiers).catch(() => {});
