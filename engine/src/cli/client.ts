import type { Config } from '../config.ts';

/** A minimal client for the CLI commands that talk to a running Tend over its HTTP API. */
export function apiClient(config: Config) {
  if (config.apiKeyGenerated) {
    throw new Error('set TEND_API_KEY to a key of the Tend you talk to (and TEND_URL if it is not local)');
  }
  return async function call(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    let res: Response;
    try {
      res = await fetch(`${config.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(
        `cannot reach Tend at ${config.url} (is it running? set TEND_URL): ${(error as Error).message}`,
      );
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed };
  };
}
