import { Ajv, type ErrorObject } from 'ajv';
import type { Context } from 'hono';
import { AppError, badRequest } from '../errors.ts';

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false });
// Same formats as DESIGN asks of request bodies: an ISO date-time where times are given.
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\d/.test(s),
});

/** Reads the body as JSON, answering 400 (with where it broke) when it is not. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw badRequest('the request body is empty; send JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A checker for one request shape: returns the typed body or throws 400 naming each problem. */
export function bodyShape<T>(schema: object): (value: unknown) => T {
  const check = ajv.compile(schema);
  return (value) => {
    if (check(value)) return value as T;
    throw new AppError(400, 'bad_request', (check.errors ?? []).map(describe).join('; '));
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
