import type { Positions } from '../model/layout.ts';

/** One undoable state of the editor: the YAML and where people put nodes. */
export interface Snapshot {
  text: string;
  moved: Positions;
}

const LIMIT = 200;
/** Edits of the same field within this long are one undo step (typing a word is not ten). */
const COALESCE_MS = 1500;

/** Undo and redo over snapshots. */
export class History {
  past: Snapshot[] = [];
  future: Snapshot[] = [];
  #lastKey: string | null = null;
  #lastAt = 0;

  /** Records `previous` before a change; edits sharing `key` in quick succession merge. */
  record(previous: Snapshot, key?: string): void {
    const now = Date.now();
    const merge = key !== undefined && key === this.#lastKey && now - this.#lastAt < COALESCE_MS;
    this.#lastKey = key ?? null;
    this.#lastAt = now;
    this.future = [];
    if (merge) return;
    this.past.push(previous);
    if (this.past.length > LIMIT) this.past.shift();
  }

  undo(current: Snapshot): Snapshot | null {
    const previous = this.past.pop();
    if (!previous) return null;
    this.future.push(current);
    this.#lastKey = null;
    return previous;
  }

  redo(current: Snapshot): Snapshot | null {
    const next = this.future.pop();
    if (!next) return null;
    this.past.push(current);
    this.#lastKey = null;
    return next;
  }

  reset(): void {
    this.past = [];
    this.future = [];
    this.#lastKey = null;
  }
}
