#!/usr/bin/env node
// `node engine/bin/run-ts.mjs <file.ts> [args]`: runs any engine TypeScript file (benchmarks, tools).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: run-ts.mjs <file.ts> [args]\n');
  process.exit(2);
}
process.argv = [process.argv[0] ?? 'node', file, ...rest];
await import(pathToFileURL(path.resolve(file)).href);
