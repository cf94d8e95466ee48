import type { DraftDef } from './def.ts';
import { TRIGGER } from './graph.ts';

export type Change = 'added' | 'removed' | 'changed';

/** JSON with sorted keys, so two equal values print the same whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Which nodes differ between a base version (e.g. the published one) and the current journey. */
export function diffStates(base: DraftDef, current: DraftDef): Map<string, Change> {
  const out = new Map<string, Change>();
  for (const [name, state] of Object.entries(current.states)) {
    const before = base.states[name];
    if (!before) out.set(name, 'added');
    else if (canonical(before) !== canonical(state)) out.set(name, 'changed');
  }
  for (const name of Object.keys(base.states)) if (!(name in current.states)) out.set(name, 'removed');
  const settings = (d: DraftDef) => canonical([d.trigger, d.entry, d.exit, d.limits, d.start]);
  if (settings(base) !== settings(current)) out.set(TRIGGER, 'changed');
  return out;
}
