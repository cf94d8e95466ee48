#!/usr/bin/env node
// Runs the TypeScript CLI directly, so there is no build step to forget. Node.js 22.18 and newer
// strip the types themselves (the code keeps to erasable syntax: tsconfig's erasableSyntaxOnly),
// which spares the engine a compiler in memory; older ones compile on load with tsx.
import module from 'node:module';

// Node.js's compile cache (in the system's temporary folder) keeps each module's stripped and
// compiled code: from the second start on, the type stripper is not loaded at all (its
// WebAssembly memory stayed resident) and start-up skips the stripping. An edited file is
// compiled anew (the cache checks each file's content).
module.enableCompileCache?.();
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import('../src/cli/main.ts');
