import { Ajv, type ErrorObject } from 'ajv';
import type { Context } from 'hono';
import { HttpError } from './http.ts';
import { findTooDeep } from './json-depth.ts';
import type { JsonSchema } from './json-schema.ts';
import { schemaProblem } from './schema-problem.ts';

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false });
// An ISO date-time where request bodies give times.
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\d/.test(s),
});

/** Containers inside containers a JSON body may have; real request bodies need a handful. */
export const MAX_JSON_DEPTH = 64;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/*
 * Request bodies, read the same way by the engine's routes and plugins': bad input of any kind is
 * a 4xx naming what is wrong and where.
 */

/**
 * The body of a JSON route as text, '' when there is none. Refuses (415) a body that is not
 * labelled JSON — a JSON route that took text/plain or an unlabelled body would also take what
 * a form on another site can post — and (400) one that is not UTF-8 or starts with a byte order
 * mark (RFC 8259 §8.1: senders must not add one; Response.text() would hide it on some routes
 * and not on others).
 */
export async function readJsonText(c: Context): Promise<string> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length === 0) return '';
  const type = c.req.header('content-type');
  if (!type || !JSON_TYPE.test(type)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `${c.req.method} ${c.req.path} takes JSON: send Content-Type: application/json (got ${type ? `"${type.slice(0, 100)}"` : 'no Content-Type'})`,
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `JSON bodies are UTF-8; charset=${charset} is not taken`,
    );
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new HttpError(
      400,
      'bad_request',
      'the JSON body starts with a byte order mark (EF BB BF): send it without one',
    );
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new HttpError(
      400,
      'bad_request',
      `the JSON body is not valid UTF-8 (near byte ${firstBadByte(bytes)})`,
    );
  }
}

/** Parses a JSON body, refusing (400) one nested deeper than {@link MAX_JSON_DEPTH}, naming where. */
export function parseJson(text: string): unknown {
  const deep = findTooDeep(text, MAX_JSON_DEPTH);
  if (deep) {
    throw new HttpError(
      400,
      'too_deep',
      `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels at ${deep.at} (character ${deep.offset + 1})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'bad_request', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads the body as JSON, answering 400 (with where it broke), 413 or 415 when it is not. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await readJsonText(c);
  if (text.trim() === '') throw new HttpError(400, 'bad_request', 'the request body is empty; send JSON');
  return parseJson(text);
}

/** Like {@link readJson}, for routes where the body may be left out: undefined then. */
export async function readOptionalJson(c: Context): Promise<unknown> {
  const text = await readJsonText(c);
  return text.trim() === '' ? undefined : parseJson(text);
}

function firstBadByte(bytes: Uint8Array): number {
  // Decode growing prefixes by halves: the first prefix that fails ends at the bad sequence.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return good + 1;
}

/**
 * A checker of one request shape, carrying the schema it checks with: the API reference
 * (`GET /api/openapi.json`) describes the body with this very object, so the two cannot drift.
 */
export type BodyShape<T> = ((value: unknown) => T) & { readonly schema: JsonSchema };

/** A checker for one request shape: returns the typed body or throws 400 naming each problem. */
export function bodyShape<T>(schema: object): BodyShape<T> {
  const check = ajv.compile(schema);
  const read = (value: unknown): T => {
    if (check(value)) return value as T;
    const problems = (check.errors ?? []).flatMap((e) => {
      const problem = schemaProblem(e);
      return problem === null ? [] : [`${where(e)}: ${problem}`];
    });
    throw new HttpError(400, 'bad_request', problems.join('; ') || 'body: not valid here');
  };
  return Object.assign(read, { schema: schema as JsonSchema });
}

/** Where an error is: `body`, or its path with array items as [n] (so a caller can find the item). */
function where(e: ErrorObject): string {
  return e.instancePath
    ? e.instancePath
        .slice(1)
        .split('/')
        .map((p) => (/^\d+$/.test(p) ? `[${p}]` : p))
        .join('.')
        .replace(/\.\[/g, '[')
    : 'body';
}
