import { createHash } from 'node:crypto';
import type pg from 'pg';
import { starInResult } from './star-result.ts';

/*
 * Named (prepared) statements for the statements a process runs over and over.
 *
 * Unnamed, PostgreSQL parses, analyses and plans every statement anew. The engine's hot
 * statements are big (the batched run write is one statement of eight data-modifying CTEs) and
 * run hundreds of times a second; named, each connection parses one once and PostgreSQL may keep
 * a generic plan for it. `pnpm bench -- --only engine` measured 7,362–8,301 durable transitions/s
 * unnamed against 7,877–8,675 named (a 5 % gain, six alternating runs of each).
 *
 * A text is named once it has been seen a few times, so one-off statements (migrations, ad-hoc
 * reads) stay unnamed, and no more than MAX_NAMES texts per process are named: each costs every
 * connection that runs it a parsed statement and a cached plan on the server.
 */

const SEEN_BEFORE_NAMING = 3;
const MAX_NAMES = 200;
/** Texts counted towards naming; the count starts over when this many are pending. */
const MAX_COUNTED = 5000;

/**
 * Errors after which a text is never named again: the statement's result type changed (a
 * migration by a newer server), the server lost it (a connection pooler that resets sessions),
 * or it exists already under that name.
 */
const GIVE_UP = new Set(['0A000', '26000', '42P05']);

/** Which statement texts run as named statements, shared by every connection of one pool. */
export class StatementNames {
  readonly #counts = new Map<string, number>();
  readonly #names = new Map<string, string>();
  readonly #refused = new Set<string>();

  /** The name `text` runs under, or null to run it unnamed. */
  nameFor(text: string): string | null {
    const named = this.#names.get(text);
    if (named !== undefined) return named;
    if (this.#names.size >= MAX_NAMES || this.#refused.has(text) || starInResult(text)) return null;
    const seen = (this.#counts.get(text) ?? 0) + 1;
    if (seen < SEEN_BEFORE_NAMING) {
      if (this.#counts.size >= MAX_COUNTED) this.#counts.clear();
      this.#counts.set(text, seen);
      return null;
    }
    this.#counts.delete(text);
    const name = `tend_${createHash('sha1').update(text).digest('hex').slice(0, 32)}`;
    this.#names.set(text, name);
    return name;
  }

  /** A named statement failed in a way naming caused: run its text unnamed from now on. */
  giveUp(text: string, error: unknown): void {
    if (!GIVE_UP.has((error as { code?: string } | null)?.code ?? '')) return;
    this.#names.delete(text);
    this.#refused.add(text);
  }
}

type Query = (text: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Makes every client of `pool` run repeated parameterised statements as named statements.
 * Only the promise form (text, values) is changed: that is how Kysely calls a client.
 */
export function prepareRepeatedStatements(pool: pg.Pool, names = new StatementNames()): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    (client as { query: Query }).query = (text, values, callback) => {
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback)
        return query(text, values, callback);
      const name = names.nameFor(text);
      if (!name) return query(text, values);
      return (query({ name, text, values }) as Promise<unknown>).catch((error: unknown) => {
        names.giveUp(text, error);
        throw error;
      });
    };
  });
}
