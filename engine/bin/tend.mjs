#!/usr/bin/env node
// Runs the TypeScript CLI directly, so there is no build step to forget. Node.js 22.18 and newer
// strip the types themselves (the code keeps to erasable syntax: tsconfig's erasableSyntaxOnly),
// which spares the engine a compiler in memory; older ones compile on load with tsx.
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import('../src/cli/main.ts');
