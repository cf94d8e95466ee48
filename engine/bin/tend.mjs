#!/usr/bin/env node
// Runs the TypeScript CLI directly, so there is no build step to forget. Node.js 22.18 and newer
// strip the types themselves (the code keeps to erasable syntax: tsconfig's erasableSyntaxOnly),
// which spares the engine a compiler in memory; older ones compile on load with tsx.
import { spawnSync } from 'node:child_process';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node.js's compile cache (in the system's temporary folder) keeps each module's stripped and
// compiled code: from the second start on, the type stripper is not loaded at all (its
// WebAssembly memory stayed resident) and start-up skips the stripping. An edited file is
// compiled anew (the cache checks each file's content).
const cache = module.enableCompileCache?.();
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
} else if (process.argv[2] === 'start' && cache?.directory) {
  // The first start after an update would strip, and keep the stripper's memory for its life:
  // a process of its own fills the cache first, and ends (warm-compile-cache.mjs). With this
  // process's flags, as the cache keeps code apart by the V8 flags it was compiled under, but
  // not a debugger's or a profiler's: `--inspect-brk` would wait for a debugger for ever.
  const own = /^--(inspect|debug|cpu-prof|heap-prof|prof)/;
  const warm = fileURLToPath(new URL('./warm-compile-cache.mjs', import.meta.url));
  const flags = process.execArgv.filter((flag) => !own.test(flag));
  spawnSync(process.execPath, [...flags, warm], { stdio: ['ignore', 'ignore', 'inherit'] });
}
await import('../src/cli/main.ts');
