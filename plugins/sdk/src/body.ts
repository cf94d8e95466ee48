import { Ajv, type ErrorObject } from 'ajv';
import type { Context } from 'hono';
import { HttpError } from './http.ts';

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false });
// An ISO date-time where request bodies give times.
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\d/.test(s),
});

/** Reads the body as JSON, answering 400 (with where it broke) when it is not. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new HttpError(400, 'bad_request', 'the request body is empty; send JSON');
  return parseJson(text);
}

/** Parses a JSON text, answering 400 (with where it broke) when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'bad_request', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A checker for one request shape: returns the typed body or throws 400 naming each problem. */
export function bodyShape<T>(schema: object): (value: unknown) => T {
  const check = ajv.compile(schema);
  return (value) => {
    if (check(value)) return value as T;
    throw new HttpError(400, 'bad_request', (check.errors ?? []).map(describe).join('; '));
  };
}

function describe(e: ErrorObject): string {
  // Array items read as [n] so a caller (or `tend import`) can find the item.
  const at = e.instancePath
    ? e.instancePath
        .slice(1)
        .split('/')
        .map((p) => (/^\d+$/.test(p) ? `[${p}]` : p))
        .join('.')
        .replace(/\.\[/g, '[')
    : 'body';
  if (e.keyword === 'required')
    return `${at} is missing "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'additionalProperties') {
    return `${at} has an unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  }
  return `${at} ${e.message ?? 'is invalid'}`;
}
