import { Hono } from 'hono';
import { customerBatchItemSchema, customerInputSchema } from '../customers/input-schema.ts';
import { normalizeEmail, normalizePhone } from '../customers/normalize.ts';
import type { CustomerInput } from '../customers/types.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import type { KeyRing } from '../privacy/key-ring.ts';
import { evaluateCustomers } from '../segments/evaluate.ts';
import { audit } from '../store/audit-log.ts';
import { customerRecords, customerTimeline, type TimelineRow } from '../store/customer-export.ts';
import {
  type CustomerSort,
  type CustomerWrite,
  findByHashes,
  getCustomerRow,
  listCustomers,
  loadCustomers,
  upsertCustomers,
} from '../store/customers.ts';
import type { Db } from '../store/db.ts';
import { eraseCustomer } from '../store/erase.ts';
import { listRuns } from '../store/run-list.ts';
import { membershipsOf } from '../store/segment-members.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';
import { messageView } from './messages.ts';

const customerBody = bodyShape<CustomerInput>(customerInputSchema);
const MAX_BATCH = 10_000;
const batchBody = bodyShape<(CustomerInput & { id: string })[]>({
  type: 'array',
  items: customerBatchItemSchema,
  maxItems: MAX_BATCH,
});
const ID = /^[^\s/]{1,200}$/;

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
 * The cursor a sorted page gave (its last customer's sort value and id), checked so a forged one
 * is a 400, not a failed cast in the database.
 */
function sortedCursor(raw: string, sort: CustomerSort): { value: string; id: string } {
  try {
    const [value, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    const fits =
      typeof value === 'string' &&
      (sort === 'revenue'
        ? /^-?\d{1,20}(\.\d{1,20})?$/.test(value)
        : value === '-infinity' || TIMESTAMP.test(value));
    if (fits && typeof id === 'string' && id.length <= 200) return { value, id };
  } catch {}
  throw badRequest('after: not a cursor this list gave');
}

/** Customer profiles: the external id is the key; email and phone find a customer too. */
export const customersApi = new Hono<AppEnv>()
  .get('/', requires('read', { ownCustomers: true }), async (c) => {
    const { db, customers } = c.var.services;
    const { scope } = c.var.principal;
    const q = c.req.query();
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw badRequest('limit must be a whole number from 1 to 1000');
    const sort = q.sort === undefined || q.sort === 'id' ? null : (q.sort as CustomerSort);
    if (sort && !['created', 'last-order', 'revenue'].includes(sort))
      throw badRequest('sort must be id, created, last-order or revenue');
    let ids: string[] | null = null;
    if (q.email !== undefined) {
      const email = normalizeEmail(q.email);
      if (!email) throw badRequest(`"${q.email}" is not an email address`);
      ids = await findByHashes(db, 'email_hash', customers.keys.lookupAll(email));
    } else if (q.phone !== undefined) {
      const phone = normalizePhone(q.phone);
      if (!phone) throw badRequest(`"${q.phone}" is not a phone number`);
      ids = await findByHashes(db, 'phone_hash', customers.keys.lookupAll(phone));
    }
    const rows =
      ids !== null
        ? [...(await loadCustomers(db, ids)).values()].filter(
            (r) => !scope || (r.owner && scope.includes(r.owner)),
          )
        : await listCustomers(db, {
            limit,
            ...(scope ? { owners: scope } : {}),
            ...(q.tag ? { tag: q.tag } : {}),
            ...(q.stage ? { stage: q.stage } : {}),
            ...(q.owner ? { owner: q.owner } : {}),
            ...(q.segment ? { segment: q.segment } : {}),
            ...(q.abc ? { abc: q.abc } : {}),
            ...(q.consent ? { consent: consentFilter(q.consent) } : {}),
            ...(sort ? { sort } : {}),
            ...(q.after ? (sort ? { afterSorted: sortedCursor(q.after, sort) } : { after: q.after }) : {}),
          });
    const list = rows.map((r) => customers.view(r));
    const last = rows.at(-1) as ((typeof rows)[number] & { sort_value?: string }) | undefined;
    const next =
      list.length < limit || !last
        ? null
        : sort
          ? Buffer.from(JSON.stringify([last.sort_value, last.id])).toString('base64url')
          : last.id;
    return c.json({ customers: list, next });
  })
  .post('/batch', requires('customers:write'), async (c) => {
    const body = await readJson(c);
    if (!Array.isArray(body)) throw badRequest('send a JSON array of customers, each with an "id"');
    const items = batchBody(body);
    const writes = encodeAll(
      c.var.services,
      items.map((i) => [i.id, i]),
      'api',
    );
    const now = c.var.services.now();
    const created = await c.var.services.db.transaction().execute(async (trx) => {
      const made = await upsertCustomers(trx, writes, now);
      await followChanges(
        trx,
        c.var.services,
        writes.map((w) => w.id),
      );
      await audit(
        trx,
        writes.map((w) => ({
          actor: c.var.principal.name,
          action: made.has(w.id) ? 'create' : 'update',
          entity: 'customer',
          entityId: w.id,
          detail: { fields: fieldsOf(w) },
        })),
        now,
      );
      return made;
    });
    return c.json({ created: created.size, updated: writes.length - created.size });
  })
  .put('/:id', requires('customers:write'), async (c) => {
    const id = customerId(c.req.param('id'));
    const [write] = encodeAll(c.var.services, [[id, customerBody(await readJson(c))]], 'api');
    const { db, customers } = c.var.services;
    const now = c.var.services.now();
    const created = await db.transaction().execute(async (trx) => {
      const made = await upsertCustomers(trx, [write as CustomerWrite], now);
      await followChanges(trx, c.var.services, [id]);
      await audit(
        trx,
        [
          {
            actor: c.var.principal.name,
            action: made.has(id) ? 'create' : 'update',
            entity: 'customer',
            entityId: id,
            detail: { fields: fieldsOf(write as CustomerWrite) },
          },
        ],
        now,
      );
      return made.has(id);
    });
    const row = await getCustomerRow(db, id);
    return c.json(row ? customers.view(row) : null, created ? 201 : 200);
  })
  .get('/:id', requires('read', { ownCustomers: true }), async (c) => {
    const id = customerId(c.req.param('id'));
    const { db, customers } = c.var.services;
    const { scope } = c.var.principal;
    const row = await getCustomerRow(db, id);
    // Another's customer is, to a staff member, no customer at all.
    if (!row || row.erased_at || (scope && !(row.owner && scope.includes(row.owner))))
      throw notFound(`customer "${id}"`);
    const [runs, memberships, timeline, plugins] = await Promise.all([
      listRuns(db, { customer: id, status: 'active', limit: 100 }),
      membershipsOf(db, [id]),
      customerTimeline(db, id, TIMELINE),
      c.var.services.plugins.timeline(id, TIMELINE),
    ]);
    const entries = [...timeline.map((t) => timelineEntry(t, customers.keys)), ...plugins]
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, TIMELINE);
    return c.json({
      ...customers.view(row),
      segments: [...(memberships.get(id) ?? [])].sort(),
      activeRuns: runs,
      timeline: entries,
    });
  })
  .get('/:id/export', requires('read'), async (c) => {
    const id = customerId(c.req.param('id'));
    const { db, customers } = c.var.services;
    const row = await getCustomerRow(db, id);
    if (!row || row.erased_at) throw notFound(`customer "${id}"`);
    const [{ messages, ...records }, plugins] = await Promise.all([
      customerRecords(db, id),
      c.var.services.plugins.export(id),
    ]);
    const now = c.var.services.now();
    await audit(
      db,
      [{ actor: c.var.principal.name, action: 'export', entity: 'customer', entityId: id }],
      now,
    );
    c.header('content-disposition', `attachment; filename="customer-${encodeURIComponent(id)}.json"`);
    return c.json({
      exportedAt: now.toISOString(),
      customer: customers.view(row),
      ...records,
      // Decrypted: recipients and contents are stored encrypted.
      messages: messages.map((m) => messageView(m, customers.keys)),
      // What each plugin keeps (survey answers, tasks, points…), decrypted by the plugin.
      ...plugins,
    });
  })
  .delete('/:id', requires('customers:erase'), async (c) => {
    const id = customerId(c.req.param('id'));
    const { db } = c.var.services;
    const now = c.var.services.now();
    const pseudonym = await db.transaction().execute(async (trx) => {
      const row = await getCustomerRow(trx, id);
      if (!row || row.erased_at) return null;
      const to = await eraseCustomer(trx, id, now, (db, from, pseudonym) =>
        c.var.services.plugins.erase(db, from, pseudonym),
      );
      await audit(
        trx,
        [{ actor: c.var.principal.name, action: 'erase', entity: 'customer', entityId: to }],
        now,
      );
      return to;
    });
    if (!pseudonym) throw notFound(`customer "${id}"`);
    return c.json({ erased: true, pseudonym });
  });

function encodeAll(
  services: AppEnv['Variables']['services'],
  items: [string, CustomerInput][],
  source: string,
): CustomerWrite[] {
  const now = services.now();
  const problems: string[] = [];
  const writes: CustomerWrite[] = [];
  for (const [i, [id, input]] of items.entries()) {
    const encoded = services.customers.encode(id, input, source, now);
    if (encoded.ok) writes.push(encoded.write);
    else problems.push(...encoded.errors.map((e) => (items.length > 1 ? `[${i}] ${id}: ${e}` : e)));
  }
  if (problems.length > 0) throw new AppError(400, 'bad_request', problems.slice(0, 20).join('; '));
  return writes;
}

/** A profile change can move a customer into or out of segments. */
async function followChanges(
  trx: Db,
  services: AppEnv['Variables']['services'],
  ids: string[],
): Promise<void> {
  await evaluateCustomers(trx, services.boss, services.customers, ids, services.now());
}

/** Entries on a profile's timeline: the engine's and each plugin's, newest first. */
const TIMELINE = 50;

/** A timeline entry as the profile shows it: a message's subject decrypted. */
function timelineEntry({ secret, ...entry }: TimelineRow, keys: KeyRing) {
  if (!secret) return entry;
  const content = JSON.parse(keys.decrypt(secret)) as { subject?: string };
  return { ...entry, detail: { ...entry.detail, subject: content.subject ?? null } };
}

/** Which fields a change touched (never their values: the audit log holds no personal data). */
const fieldsOf = (w: CustomerWrite) => Object.keys(w).filter((k) => k !== 'id');

function customerId(raw: string): string {
  const id = decodeURIComponent(raw);
  if (!ID.test(id)) throw badRequest('a customer id is 1 to 200 characters without spaces or slashes');
  return id;
}
