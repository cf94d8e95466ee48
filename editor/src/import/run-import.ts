import { withSession } from '../api/client.ts';

/** A line the engine (or the page) refused, and why. */
export interface RejectedLine {
  line: number;
  id: string;
  message: string;
}

export interface ImportProgress {
  done: number;
  total: number;
  stored: number;
  rejected: RejectedLine[];
  /** Set when the engine refused a whole batch (no permission, engine gone): the import stopped. */
  stopped: string | null;
}

/** Lines sent per request: small enough to show progress, large enough to be quick. */
export const IMPORT_BATCH = 500;

/**
 * Sends the items a batch at a time to a partial batch route, in file order; each rejection is
 * mapped back to its line. Items already refused by the page come in as `refused`.
 */
export async function runImport(
  route: '/api/customers/batch' | '/api/events/batch',
  items: { line: number; id: string; item?: unknown; message?: string }[],
  onProgress: (p: ImportProgress) => void,
): Promise<ImportProgress> {
  const progress: ImportProgress = { done: 0, total: items.length, stored: 0, rejected: [], stopped: null };
  for (let at = 0; at < items.length; at += IMPORT_BATCH) {
    const slice = items.slice(at, at + IMPORT_BATCH);
    const sendable = slice.filter((s) => s.message === undefined);
    for (const s of slice)
      if (s.message !== undefined) progress.rejected.push({ line: s.line, id: s.id, message: s.message });
    if (sendable.length > 0) {
      const res = await withSession(`${route}?partial=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sendable.map((s) => s.item)),
      }).catch((error: Error) => ({
        ok: false,
        status: 0,
        json: async () => ({ error: { message: error.message } }),
      }));
      const body = (await res.json().catch(() => ({}))) as {
        created?: number;
        updated?: number;
        accepted?: number;
        duplicates?: number;
        rejected?: { index: number; message: string }[];
        error?: { message?: string };
      };
      if (!res.ok) {
        progress.stopped = body.error?.message ?? `HTTP ${res.status}`;
        onProgress({ ...progress });
        return progress;
      }
      progress.stored +=
        (body.created ?? 0) + (body.updated ?? 0) + (body.accepted ?? 0) + (body.duplicates ?? 0);
      for (const r of body.rejected ?? []) {
        const s = sendable[r.index];
        if (s) progress.rejected.push({ line: s.line, id: s.id, message: r.message });
      }
    }
    progress.done += slice.length;
    progress.rejected.sort((a, b) => a.line - b.line);
    onProgress({ ...progress, rejected: [...progress.rejected] });
  }
  return progress;
}
