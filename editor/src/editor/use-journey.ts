import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Document } from 'yaml';
import { api, jsonBody, unwrap } from '../api/client.ts';
import { type DraftDef, readDraft } from '../model/def.ts';
import type { Positions } from '../model/layout.ts';
import { clearLocalDraft, type LocalDraft, loadLocalDraft, saveLocalDraft } from '../model/local-draft.ts';
import type { EditRefusal } from '../model/ops.ts';
import { parse, printPreserving } from '../model/yaml-edit.ts';
import { History, type Snapshot } from './history.ts';
import { loadServerJourney, type ServerJourney, versionYaml } from './server-state.ts';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; version: number; created: boolean }
  | { kind: 'failed'; message: string; count: number };

function parseDraft(text: string): DraftDef {
  try {
    return readDraft(parse(text).toJS());
  } catch {
    return readDraft(null);
  }
}

const samePositions = (a: Positions, b: Positions) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One journey being edited: the YAML (the source of truth), node positions, undo/redo, the local
 * draft that survives reloads, and saving and publishing versions through the engine.
 */
export function useJourney(id: string) {
  const [server, setServer] = useState<ServerJourney | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [snap, setSnap] = useState<Snapshot>({ text: '', moved: {} });
  const [restored, setRestored] = useState<LocalDraft | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [storageFailed, setStorageFailed] = useState(false);
  const [, setHistoryTick] = useState(0);
  const history = useRef(new History());
  const current = useRef(snap);
  const serverRef = useRef(server);
  serverRef.current = server;

  const def = useMemo(() => parseDraft(snap.text), [snap.text]);

  /** Keeps unsaved work in this browser, or forgets it once it matches what is saved. */
  const persist = useCallback(
    (next: Snapshot) => {
      const s = serverRef.current;
      if (!s) return;
      const unsaved = next.text !== (s.latestYaml ?? '') || !samePositions(next.moved, s.layout);
      if (!unsaved && s.exists) clearLocalDraft(id);
      else
        setStorageFailed(
          !saveLocalDraft({
            id,
            yaml: next.text,
            moved: next.moved,
            baseVersion: s.latestVersion,
            savedAt: new Date().toISOString(),
          }),
        );
    },
    [id],
  );

  const apply = useCallback(
    (next: Snapshot, key?: string) => {
      if (next.text === current.current.text && samePositions(next.moved, current.current.moved)) return;
      history.current.record(current.current, key);
      current.current = next;
      persist(next);
      setSnap(next);
      setHistoryTick((n) => n + 1);
    },
    [persist],
  );

  const load = useCallback(async () => {
    try {
      const s = await loadServerJourney(id);
      const local = loadLocalDraft(id);
      if (!s.exists && !local) {
        setLoadError('not_found');
        return;
      }
      serverRef.current = s;
      setServer(s);
      const initial: Snapshot = {
        text: local?.yaml ?? s.latestYaml ?? '',
        moved: { ...s.layout, ...(local?.moved ?? {}) },
      };
      if (local && s.exists && local.yaml !== s.latestYaml) setRestored(local);
      current.current = initial;
      history.current.reset();
      setSnap(initial);
    } catch (error) {
      setLoadError((error as Error).message);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Changes the YAML through its Document (untouched lines stay as they are). */
  const edit = useCallback(
    (
      change: (doc: Document, def: DraftDef) => EditRefusal | null | undefined,
      key?: string,
    ): EditRefusal | null => {
      const text = current.current.text;
      const doc = parse(text);
      const refusal = change(doc, parseDraft(text));
      if (refusal) return refusal;
      apply({ ...current.current, text: printPreserving(text, doc) }, key);
      return null;
    },
    [apply],
  );

  const setText = useCallback((text: string) => apply({ ...current.current, text }, 'yaml'), [apply]);
  const setMoved = useCallback(
    (moved: Positions, key?: string) =>
      apply({ ...current.current, moved: { ...current.current.moved, ...moved } }, key),
    [apply],
  );
  const replaceMoved = useCallback(
    (moved: Positions, key?: string) => apply({ ...current.current, moved }, key),
    [apply],
  );

  const step = useCallback(
    (direction: 'undo' | 'redo') => {
      const next =
        direction === 'undo' ? history.current.undo(current.current) : history.current.redo(current.current);
      if (!next) return;
      current.current = next;
      persist(next);
      setSnap(next);
      setHistoryTick((n) => n + 1);
    },
    [persist],
  );

  /** Saves the YAML as a new version (the engine refuses invalid files, with every problem). */
  const saveVersion = useCallback(
    async (message?: string): Promise<{ id: string; version: number } | null> => {
      setSave({ kind: 'saving' });
      const { text, moved } = current.current;
      const before = serverRef.current?.latestVersion ?? 0;
      try {
        const headers: Record<string, string> = {
          'content-type': 'application/yaml',
          'x-tend-source': 'editor',
        };
        if (message) headers['x-tend-message'] = encodeURIComponent(message).slice(0, 500);
        const saved = await unwrap(api.workflows.$post({}, { init: { body: text, headers } }));
        await unwrap(
          api.workflows[':id'].layout.$put({ param: { id: saved.id } }, jsonBody({ positions: moved })),
        );
        const s = await loadServerJourney(saved.id);
        serverRef.current = s;
        setServer(s);
        persist(current.current);
        setRestored(null);
        setSave({ kind: 'saved', version: saved.version, created: saved.version > before });
        return { id: saved.id, version: saved.version };
      } catch (error) {
        const e = error as Error & { errors?: unknown[] };
        setSave({ kind: 'failed', message: e.message, count: e.errors?.length ?? 0 });
        return null;
      }
    },
    [persist],
  );

  const publish = useCallback(
    async (version: number) => {
      const s = serverRef.current;
      if (!s) return;
      await unwrap(api.workflows[':id'].publish.$post({ param: { id } }, jsonBody({ version })));
      const fresh = await loadServerJourney(id);
      serverRef.current = fresh;
      setServer(fresh);
    },
    [id],
  );

  const openVersion = useCallback(
    async (version: number) => setText(await versionYaml(id, version)),
    [id, setText],
  );

  const discardLocal = useCallback(() => {
    const s = serverRef.current;
    if (!s?.latestYaml) return;
    clearLocalDraft(id);
    const base = { text: s.latestYaml, moved: s.layout };
    current.current = base;
    history.current.reset();
    setSnap(base);
    setRestored(null);
  }, [id]);

  return {
    server,
    loadError,
    text: snap.text,
    moved: snap.moved,
    def,
    restored,
    dismissRestored: () => setRestored(null),
    storageFailed,
    save,
    edit,
    setText,
    setMoved,
    replaceMoved,
    undo: () => step('undo'),
    redo: () => step('redo'),
    canUndo: history.current.past.length > 0,
    canRedo: history.current.future.length > 0,
    saveVersion,
    publish,
    openVersion,
    discardLocal,
    unsaved:
      server !== null &&
      (snap.text !== (server.latestYaml ?? '') || !samePositions(snap.moved, server.layout)),
  };
}

export type Journey = ReturnType<typeof useJourney>;
