import { transitions } from '../definitions/semantic-diff.ts';
import type { WorkflowDef } from '../definitions/types.ts';

export interface Coverage {
  workflow: string;
  states: { covered: number; total: number; missed: string[] };
  transitions: { covered: number; total: number; missed: string[] };
}

/**
 * Which states the simulated runs entered and which transitions (state → state) they took, out
 * of all the workflow has. Two branches to the same state count as one transition.
 */
export function coverageOf(def: WorkflowDef, paths: string[][]): Coverage {
  const states = Object.keys(def.states);
  const visited = new Set(paths.flat());
  const all = [...new Set(transitions(def.states).map((t) => `${t.from} → ${t.to}`))];
  const taken = new Set<string>();
  for (const p of paths) for (let i = 1; i < p.length; i++) taken.add(`${p[i - 1]} → ${p[i]}`);
  return {
    workflow: def.id,
    states: {
      covered: states.filter((s) => visited.has(s)).length,
      total: states.length,
      missed: states.filter((s) => !visited.has(s)),
    },
    transitions: {
      covered: all.filter((t) => taken.has(t)).length,
      total: all.length,
      missed: all.filter((t) => !taken.has(t)),
    },
  };
}
