import { stringify } from 'yaml';
import type { Selection } from '../canvas/canvas.tsx';
import type { StateDef } from '../model/def.ts';
import { TRIGGER } from '../model/graph.ts';
import type { Positions, XY } from '../model/layout.ts';
import {
  addState,
  appendStep,
  connect,
  deleteStates,
  type EditRefusal,
  type PaletteItem,
  pasteStates,
  retarget,
} from '../model/ops.ts';
import type { TransitionRef } from '../model/refs.ts';
import type { Journey } from './use-journey.ts';

/** What the canvas does to the journey: every gesture is one YAML edit (and one undo step). */
let gestures = 0;
/** A key shared by the YAML edit and the position change of one gesture: they undo together. */
const gesture = () => `gesture-${++gestures}`;

export function canvasActions(journey: Journey, notify: (refusal: EditRefusal) => void) {
  const report = (r: EditRefusal | null) => {
    if (r) notify(r);
    return r;
  };
  return {
    /** Dropped from the palette: onto a state adds a step to it, elsewhere makes a new state there. */
    drop(item: PaletteItem, at: XY, onto: string | null, positions: Positions): string | null {
      if (onto && item.kind === 'step') {
        journey.edit((doc) => {
          appendStep(doc, onto, item.uses);
        });
        return onto;
      }
      let name: string | null = null;
      const key = gesture();
      journey.edit((doc, def) => {
        name = addState(doc, def, item);
        if (!def.start && Object.keys(def.states).length === 0 && item.kind !== 'end')
          connect(doc, def, null, name);
      }, key);
      // A node put somewhere by hand stays there; so does the trigger, which would otherwise keep
      // moving with the automatic layout of the rest and end up under the new node.
      const pinned: Positions = journey.moved[TRIGGER]
        ? {}
        : { [TRIGGER]: positions[TRIGGER] ?? { x: 0, y: 0 } };
      if (name)
        journey.setMoved({ ...pinned, [name]: { x: Math.round(at.x - 130), y: Math.round(at.y - 30) } }, key);
      return name;
    },

    /** Pressed in the palette (the keyboard way): a new state after the selected node, connected to it. */
    add(item: PaletteItem, selection: Selection, positions: Positions): string | null {
      const from = selection.kind === 'node' ? selection.id : null;
      let name: string | null = null;
      let refusal: EditRefusal | null = null;
      const key = gesture();
      journey.edit((doc, def) => {
        name = addState(doc, def, item);
        if (from !== null) refusal = connect(doc, def, from === TRIGGER ? null : from, name);
        else if (!def.start && Object.keys(def.states).length === 0 && item.kind !== 'end')
          connect(doc, def, null, name);
      }, key);
      if (refusal) notify(refusal);
      const origin = from ? positions[from] : undefined;
      if (name && origin) journey.setMoved({ [name]: { x: origin.x, y: origin.y + 160 } }, key);
      return name;
    },

    connect: (from: string | null, to: string) =>
      report(journey.edit((doc, def) => connect(doc, def, from, to))),
    retarget: (ref: TransitionRef, to: string) =>
      journey.edit((doc) => {
        retarget(doc, ref, to);
      }),

    remove(states: string[], refs: TransitionRef[]) {
      const key = gesture();
      journey.edit((doc, def) => {
        deleteStates(doc, def, states, refs);
      }, key);
      if (states.length > 0) {
        journey.replaceMoved(
          Object.fromEntries(Object.entries(journey.moved).filter(([k]) => !states.includes(k))),
          key,
        );
      }
    },

    /** Copies states to paste later (and to the system clipboard as YAML, for another journey). */
    copy(states: string[], all: Record<string, StateDef>): Record<string, StateDef> {
      const clip = Object.fromEntries(states.filter((s) => all[s]).map((s) => [s, all[s] as StateDef]));
      navigator.clipboard?.writeText(stringify(clip)).catch(() => {});
      return clip;
    },

    paste(clip: Record<string, StateDef>, positions: Positions): string[] {
      let names = new Map<string, string>();
      const key = gesture();
      journey.edit((doc, def) => {
        names = pasteStates(doc, def, clip);
      }, key);
      const moved: Positions = {};
      for (const [from, to] of names) {
        const p = positions[from];
        if (p) moved[to] = { x: p.x + 40, y: p.y + 40 };
      }
      journey.setMoved(moved, key);
      return [...names.values()];
    },
  };
}
