import { type Document, isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { type DraftDef, type StateDef, waitKind } from './def.ts';
import { slug, uniqueName } from './names.ts';
import { freeOnKeys, refId, refPath, type Transition, type TransitionRef, transitions } from './refs.ts';
import { assignIn, flowMap, type Path, renameKey } from './yaml-edit.ts';

/** What can be dropped on the canvas: a plugin step, or one of the control nodes. */
export type PaletteItem =
  | { kind: 'step'; uses: string; with?: Record<string, unknown> }
  | { kind: 'wait' }
  | { kind: 'choose' }
  | { kind: 'split' }
  | { kind: 'end' };

/** Why an edit could not be made: a message key the editor shows (see i18n). */
export type EditRefusal = 'connect.fromEnd' | 'connect.allMapped' | 'connect.unknown';

/** A block-style map for states, even when the file wrote `states: {}`. */
function statesMap(doc: Document): YAMLMap {
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  let states = doc.get('states', true);
  if (!isMap(states)) {
    doc.set('states', doc.createNode({}));
    states = doc.get('states', true);
  }
  const map = states as YAMLMap;
  map.flow = false;
  return map;
}

function newState(doc: Document, item: PaletteItem) {
  switch (item.kind) {
    case 'step':
      return doc.createNode({ steps: [{ uses: item.uses, ...(item.with ? { with: item.with } : {}) }] });
    case 'wait': {
      const node = doc.createNode({}) as YAMLMap;
      node.set('wait', flowMap(doc, { for: '1d' }));
      return node;
    }
    case 'choose':
      return doc.createNode({ choose: [] });
    case 'split':
      return doc.createNode({ split: [] });
    case 'end':
      return flowMap(doc, { end: 'completed' });
  }
}

const BASE_NAMES = { wait: 'wait', choose: 'choose', split: 'split', end: 'done' } as const;

/** Adds a new state for a palette item; returns its name. The first state becomes the start. */
export function addState(doc: Document, def: DraftDef, item: PaletteItem): string {
  const base = item.kind === 'step' ? slug(item.uses) : BASE_NAMES[item.kind];
  const name = uniqueName(base, Object.keys(def.states));
  statesMap(doc).set(doc.createNode(name), newState(doc, item));
  return name;
}

/** Appends a plugin step to an existing state. */
export function appendStep(
  doc: Document,
  state: string,
  uses: string,
  config?: Record<string, unknown>,
): void {
  const path: Path = ['states', state, 'steps'];
  const step = doc.createNode({ uses, ...(config ? { with: config } : {}) });
  const steps = doc.getIn(path, true);
  if (isSeq(steps)) {
    steps.flow = false;
    steps.items.push(step);
  } else doc.setIn(path, doc.createNode([{ uses, ...(config ? { with: config } : {}) }]));
}

function branchList(doc: Document, path: Path): YAMLSeq {
  const seq = doc.getIn(path, true);
  if (isSeq(seq)) {
    seq.flow = false;
    return seq;
  }
  doc.setIn(path, doc.createNode([]));
  return doc.getIn(path, true) as YAMLSeq;
}

/**
 * Makes `from` (null: the trigger) lead to `to`, the way its kind of exit does: the trigger sets
 * `start`; a wait for events maps its next unhandled event (or its timeout); a choose gains a
 * branch to fill in, a split a weighted one; anything else gets `next`.
 */
export function connect(doc: Document, def: DraftDef, from: string | null, to: string): EditRefusal | null {
  if (from === null) {
    assignIn(doc, ['start'], to);
    return null;
  }
  const s = def.states[from];
  if (!s) return 'connect.unknown';
  const base: Path = ['states', from];
  if (s.end !== undefined) return 'connect.fromEnd';
  if (waitKind(s.wait) === 'event') {
    const key = freeOnKeys(s)[0];
    if (!key) return 'connect.allMapped';
    assignIn(doc, [...base, 'on', key], to);
    return null;
  }
  if (s.choose !== undefined) {
    const seq = branchList(doc, [...base, 'choose']);
    const last = s.choose.at(-1);
    const at = last && last.when === undefined ? s.choose.length - 1 : s.choose.length;
    seq.items.splice(at, 0, doc.createNode(s.choose.length === 0 ? { next: to } : { when: '', next: to }));
    return null;
  }
  if (s.split !== undefined) {
    const used = s.split.reduce((n, b) => n + (typeof b.weight === 'number' ? b.weight : 0), 0);
    branchList(doc, [...base, 'split']).items.push(
      flowMap(doc, { weight: used < 100 ? 100 - used : 50, next: to }),
    );
    return null;
  }
  assignIn(doc, [...base, 'next'], to);
  return null;
}

/** Where a transition names its target. */
export function targetPath(ref: TransitionRef): Path {
  const p = refPath(ref);
  if (ref.kind === 'choose' || ref.kind === 'split' || ref.kind === 'onError') return [...p, 'next'];
  if (ref.kind === 'on' && ref.index !== undefined) return [...p, 'next'];
  return p;
}

/** Points an existing transition at another state (dragging an edge's end). */
export function retarget(doc: Document, ref: TransitionRef, to: string): void {
  assignIn(doc, targetPath(ref), to);
}

/** Removes transitions; list items go from the last index back, so earlier indexes stay right. */
export function removeTransitions(doc: Document, list: Transition[]): void {
  const keyed = list.map((t) => ({ t, path: refPath(t.ref) }));
  const index = (p: Path) => {
    const last = p.at(-1);
    return typeof last === 'number' ? last : -1;
  };
  keyed.sort((a, b) => index(b.path) - index(a.path));
  for (const { path } of keyed) doc.deleteIn(path);
}

/**
 * Deletes states with every transition that led to them, and the transitions in `refs`, in one
 * pass (so list indexes computed before the edit stay right).
 */
export function deleteStates(
  doc: Document,
  def: DraftDef,
  names: string[],
  refs: TransitionRef[] = [],
): void {
  const gone = new Set(names);
  const picked = new Set(refs.map(refId));
  const doomed = transitions(def).filter(
    (t) => (t.from === null || !gone.has(t.from)) && (gone.has(t.to) || picked.has(refId(t.ref))),
  );
  removeTransitions(doc, doomed);
  for (const name of names) doc.deleteIn(['states', name]);
}

/** Renames a state and every reference to it; the state keeps its place and comments. */
export function renameState(doc: Document, def: DraftDef, from: string, to: string): void {
  renameKey(doc, ['states'], from, to);
  for (const t of transitions(def)) {
    if (t.to !== from) continue;
    const ref = t.ref.kind !== 'start' && t.ref.state === from ? { ...t.ref, state: to } : t.ref;
    assignIn(doc, targetPath(ref), to);
  }
}

/** Adds copies of states under free names; targets among the copies follow them. Returns old → new. */
export function pasteStates(
  doc: Document,
  def: DraftDef,
  clip: Record<string, StateDef>,
): Map<string, string> {
  const taken = new Set(Object.keys(def.states));
  const names = new Map<string, string>();
  for (const name of Object.keys(clip)) {
    const fresh = uniqueName(name, taken);
    taken.add(fresh);
    names.set(name, fresh);
  }
  const states = statesMap(doc);
  for (const [name, state] of Object.entries(clip)) {
    const copy = structuredClone(state) as StateDef;
    const remap = (target: string) => names.get(target) ?? target;
    if (copy.next) copy.next = remap(copy.next);
    for (const b of [...(copy.choose ?? []), ...(copy.split ?? [])]) b.next = remap(b.next);
    for (const [key, value] of Object.entries(copy.on ?? {})) {
      if (typeof value === 'string' && copy.on) copy.on[key] = remap(value);
      else if (Array.isArray(value)) for (const b of value) b.next = remap(b.next);
    }
    for (const step of copy.steps ?? []) {
      if (typeof step.onError === 'object' && step.onError) step.onError = { next: remap(step.onError.next) };
    }
    states.set(doc.createNode(names.get(name)), doc.createNode(copy));
  }
  return names;
}
