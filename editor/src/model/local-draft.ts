import type { Positions } from './layout.ts';

/** Unsaved work on a journey, kept in this browser until it is saved (so a reload loses nothing). */
export interface LocalDraft {
  id: string;
  yaml: string;
  moved: Positions;
  /** The saved version the work started from; null for a journey never saved. */
  baseVersion: number | null;
  savedAt: string;
}

const PREFIX = 'tend.draft.';

export function loadLocalDraft(id: string): LocalDraft | null {
  try {
    const raw = localStorage.getItem(PREFIX + id);
    return raw ? (JSON.parse(raw) as LocalDraft) : null;
  } catch {
    return null;
  }
}

/** Writes at once (not on a timer): the page may be closed right after a keystroke. */
export function saveLocalDraft(draft: LocalDraft): boolean {
  try {
    localStorage.setItem(PREFIX + draft.id, JSON.stringify(draft));
    return true;
  } catch {
    // Storage full or disabled: the editor says so instead of pretending the work is safe.
    return false;
  }
}

export function clearLocalDraft(id: string): void {
  localStorage.removeItem(PREFIX + id);
}

export function listLocalDrafts(): LocalDraft[] {
  const out: LocalDraft[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    const draft = loadLocalDraft(key.slice(PREFIX.length));
    if (draft) out.push(draft);
  }
  return out;
}
