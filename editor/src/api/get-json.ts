/**
 * GET for routes that plugins add (the outbox, survey results): the engine's app type cannot
 * declare them, so they are read with a plain fetch (a GET needs no CSRF token).
 */
export async function getJson<T>(path: string, query: Record<string, string> = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, { credentials: 'same-origin' });
  return { ok: res.ok, status: res.status, json: () => res.json() as Promise<T> };
}
