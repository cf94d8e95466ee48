import { unwrap } from './client.ts';
import { getJson } from './get-json.ts';

/**
 * A list read again from its start through every page shown so far (`pages`: the cursors that
 * "show more" was pressed on), so a row that left the list leaves no gap. `field` names the
 * list in the answer (`customers`, `messages`).
 */
export async function loadPages<T, F extends string>(
  path: string,
  query: Record<string, string>,
  pages: readonly string[],
  field: F,
  limit: number,
): Promise<{ rows: T[]; next: string | null }> {
  const rows: T[] = [];
  let next: string | null = null;
  for (const after of ['', ...pages]) {
    const page = await unwrap(
      getJson<Record<F, T[]> & { next: string | null }>(path, {
        ...query,
        limit: String(limit),
        ...(after ? { after } : {}),
      }),
    );
    rows.push(...page[field]);
    next = page.next;
    if (!next) break;
  }
  return { rows, next };
}
