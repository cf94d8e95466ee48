import type { Context } from 'hono';
import { normalizeEmail, normalizePhone, phoneSpellings } from '../customers/normalize.ts';
import { badRequest } from '../errors.ts';
import { nameFits, nameQuery } from '../privacy/name-grams.ts';
import {
  type CustomerFilter,
  type CustomerSort,
  findByHashes,
  type ListedCustomer as Listed,
  listCustomers,
  loadCustomers,
} from '../store/customers.ts';
import type { Db } from '../store/db.ts';
import type { AppEnv } from './app-env.ts';
import { readsThatMayLag } from './replica-reads.ts';

const SORTS: readonly CustomerSort[] = ['created', 'last-order', 'revenue'];
/** Pages of name candidates read to fill one page of matches before handing back a cursor. */
const NAME_ROUNDS = 10;
const WORKFLOW_ID = /^[a-z0-9][a-z0-9_-]{0,99}$/i;

/** `consent=email:granted`: a channel and a status. */
function consentFilter(raw: string): { channel: string; status: 'granted' | 'withdrawn' } {
  const [channel, status] = raw.split(':');
  if (
    !channel ||
    !/^[a-z][a-z0-9_-]{0,30}$/.test(channel) ||
    (status !== 'granted' && status !== 'withdrawn')
  )
    throw badRequest('consent must be <channel>:granted or <channel>:withdrawn, e.g. email:granted');
  return { channel, status };
}

/** PostgreSQL's text of a timestamptz (`2026-11-06 00:00:00.123+00`). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?)?$/;

/**
 * The cursor a sorted page gave (its last customer's sort value, null past the buyers, and id),
 * checked so a forged one is a 400, not a failed cast in the database.
 */
function sortedCursor(raw: string, sort: CustomerSort): { value: string | null; id: string } {
  try {
    const [value, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    const fits =
      (value === null && sort !== 'created') ||
      (typeof value === 'string' &&
        (sort === 'revenue' ? /^-?\d{1,20}(\.\d{1,20})?$/.test(value) : TIMESTAMP.test(value)));
    if (fits && typeof id === 'string' && id.length <= 200) return { value: value as string | null, id };
  } catch {}
  throw badRequest('after: not a cursor this list gave');
}

/** What a list request selects: the filter, and the words a name must contain (name search). */
export interface ListSelection {
  filter: Omit<CustomerFilter, 'limit'>;
  terms: string[] | null;
}

/** The list's filters of a request, checked (a bad one is a 400 naming it); no sort, no cursor. */
export function listSelection(c: Context<AppEnv>, q: Record<string, string>): ListSelection {
  const { customers } = c.var.services;
  const { scope } = c.var.principal;
  if (q.state !== undefined && q.journey === undefined) throw badRequest('state needs journey=<journey id>');
  if (q.journey !== undefined && !WORKFLOW_ID.test(q.journey))
    throw badRequest(`journey "${q.journey}" is not a journey id`);
  if (q.savedSegment !== undefined && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(q.savedSegment))
    throw badRequest(`savedSegment "${q.savedSegment}" is not a segment id`);
  const score = (name: 'r' | 'f') => {
    const raw = q[name];
    if (raw === undefined) return {};
    if (!/^[1-5]$/.test(raw)) throw badRequest(`${name} must be an RFM score from 1 to 5`);
    return { [name]: Number(raw) };
  };
  const filter: Omit<CustomerFilter, 'limit'> = {
    ...(scope ? { owners: scope } : {}),
    ...(q.tag ? { tag: q.tag } : {}),
    ...(q.stage ? { stage: q.stage } : {}),
    ...(q.owner ? { owner: q.owner } : {}),
    ...(q.segment ? { segment: q.segment } : {}),
    ...(q.abc ? { abc: q.abc } : {}),
    ...(q.savedSegment ? { savedSegment: q.savedSegment } : {}),
    ...score('r'),
    ...score('f'),
    ...(q.consent ? { consent: consentFilter(q.consent) } : {}),
    ...(q.journey ? { journey: { workflowId: q.journey, ...(q.state ? { state: q.state } : {}) } } : {}),
  };
  if (q.name === undefined) return { filter, terms: null };
  const query = nameQuery(q.name);
  if (!query.ok) throw badRequest(query.error);
  return { filter: { ...filter, nameGrams: customers.keys.gramHashesAll(query.grams) }, terms: query.terms };
}

/**
 * `GET /api/customers`: one customer by email or phone (any spelling), or the base filtered,
 * searched by part of a name, sorted, a page at a time (keyset cursor in `next`).
 */
export async function customerList(c: Context<AppEnv>) {
  const { customers } = c.var.services;
  const { db } = await readsThatMayLag(c);
  const { scope } = c.var.principal;
  const q = c.req.query();
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw badRequest('limit must be a whole number from 1 to 1000');
  const sort = q.sort === undefined || q.sort === 'id' ? null : (q.sort as CustomerSort);
  if (sort && !SORTS.includes(sort)) throw badRequest('sort must be id, created, last-order or revenue');
  if (q.email !== undefined || q.phone !== undefined) {
    const found = await byContact(c, db, q.email, q.phone);
    const rows = [...(await loadCustomers(db, found)).values()].filter(
      (r) => !r.erased_at && (!scope || (r.owner && scope.includes(r.owner))),
    );
    return c.json({ customers: rows.map((r) => customers.view(r)), next: null });
  }
  const selection = listSelection(c, q);
  const terms = selection.terms;
  const filter = { ...selection.filter, ...(sort ? { sort } : {}) };
  const cursorOf = (r: Listed) =>
    sort ? Buffer.from(JSON.stringify([r.sort_value, r.id])).toString('base64url') : r.id;
  const at = (cursor: string | undefined) =>
    cursor === undefined ? {} : sort ? { afterSorted: sortedCursor(cursor, sort) } : { after: cursor };

  // Without a name every row read is shown. With one, the index gives candidates (all fragments
  // present, or a hash collision) and the decrypted name decides; a page is filled from up to
  // NAME_ROUNDS reads, and its cursor is the last row looked at, so the next page goes on from there.
  const shown: Listed[] = [];
  let cursor = q.after || undefined;
  for (let round = 0; round < (terms ? NAME_ROUNDS : 1); round++) {
    const rows: Listed[] = await listCustomers(db, { ...filter, ...at(cursor), limit });
    for (const r of rows) {
      cursor = cursorOf(r);
      if (nameFits(customers.keys, r, terms)) shown.push(r);
      if (shown.length === limit)
        return c.json({ customers: shown.map((s) => customers.view(s)), next: cursor });
    }
    if (rows.length < limit) return c.json({ customers: shown.map((s) => customers.view(s)), next: null });
  }
  return c.json({ customers: shown.map((s) => customers.view(s)), next: cursor ?? null });
}

/** The customers whose email or phone this is, under any key of the ring. */
async function byContact(c: Context<AppEnv>, db: Db, email?: string, phone?: string): Promise<string[]> {
  const { customers } = c.var.services;
  if (email !== undefined) {
    const normalized = normalizeEmail(email);
    if (!normalized) throw badRequest(`"${email}" is not an email address`);
    return findByHashes(db, 'email_hash', customers.keys.lookupAll(normalized));
  }
  const normalized = normalizePhone(phone as string);
  if (!normalized) throw badRequest(`"${phone}" is not a phone number`);
  const spellings = phoneSpellings(normalized, c.var.services.config.phoneCountry);
  return findByHashes(
    db,
    'phone_hash',
    spellings.flatMap((p) => customers.keys.lookupAll(p)),
  );
}
