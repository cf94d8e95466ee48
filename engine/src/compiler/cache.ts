import type { WorkflowDef } from '../definitions/types.ts';
import { type CompiledWorkflow, compileWorkflow } from './compile.ts';

const MAX = 500;
const compiled = new Map<string, CompiledWorkflow>();

/**
 * Compiled workflows by content hash: a version compiles once per process, however many runs
 * it has (rebuilding a machine per transition costs ~8x, DESIGN §8).
 */
export function compiledFor(hash: string, def: () => WorkflowDef): CompiledWorkflow {
  let hit = compiled.get(hash);
  if (hit) {
    // Refresh recency so the versions in use stay while old ones age out.
    compiled.delete(hash);
    compiled.set(hash, hit);
    return hit;
  }
  hit = compileWorkflow(def(), hash);
  if (compiled.size >= MAX) {
    const oldest = compiled.keys().next().value;
    if (oldest !== undefined) compiled.delete(oldest);
  }
  compiled.set(hash, hit);
  return hit;
}
