import { Hono } from 'hono';
import { customerBatchItemSchema, customerInputSchema } from '../customers/input-schema.ts';
import type { CustomerInput } from '../customers/types.ts';
import { AppError, badRequest, itemMessage, notFound } from '../errors.ts';
import type { KeyRing } from '../privacy/key-ring.ts';
import { evaluateCustomers } from '../segments/evaluate.ts';
import { audit } from '../store/audit-log.ts';
import { customerRecords, customerTimeline, type TimelineRow } from '../store/customer-export.ts';
import { type CustomerWrite, getCustomerRow, upsertCustomers } from '../store/customers.ts';
import type { Db } from '../store/db.ts';
import { eraseCustomer } from '../store/erase.ts';
import { listRuns } from '../store/run-list.ts';
import { membershipsOf } from '../store/segment-members.ts';
import { ownHours } from '../workers/best-time-hours.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';
import { customerList } from './customer-list.ts';
import { messageView } from './messages.ts';

export const customerBody = bodyShape<CustomerInput>(customerInputSchema);
const MAX_BATCH = 10_000;
export const batchBody = bodyShape<(CustomerInput & { id: string })[]>({
  type: 'array',
  items: customerBatchItemSchema,
  maxItems: MAX_BATCH,
});
export const batchItem = bodyShape<CustomerInput & { id: string }>(customerBatchItemSchema);
const ID = /^[^\s/]{1,200}$/;

/** Customer profiles: the external id is the key; email and phone find a customer too. */
export const customersApi = new Hono<AppEnv>()
  .get('/', requires('read', { ownCustomers: true }), customerList)
  .post('/batch', requires('customers:write'), async (c) => {
    const body = await readJson(c);
    if (!Array.isArray(body)) throw badRequest('send a JSON array of customers, each with an "id"');
    // `?partial=true` (imports): store the good items, answer why each other one was refused.
    const partial = c.req.query('partial') === 'true';
    const { writes, rejected } = partial
      ? encodeEach(c.var.services, body)
      : {
          writes: encodeAll(
            c.var.services,
            batchBody(body).map((i) => [i.id, i]),
            'api',
          ),
          rejected: [],
        };
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
    return c.json({
      created: created.size,
      updated: writes.length - created.size,
      ...(partial ? { rejected } : {}),
    });
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
    const zone = row.timezone ?? c.var.services.runtime.config.defaultTimezone;
    const [runs, memberships, timeline, plugins, hours] = await Promise.all([
      listRuns(db, { customer: id, status: 'active', limit: 100 }),
      membershipsOf(db, [id]),
      customerTimeline(db, id, TIMELINE),
      c.var.services.plugins.timeline(id, TIMELINE),
      ownHours(c.var.services.runtime, db, [{ id, zone }]),
    ]);
    const entries = [...timeline.map((t) => timelineEntry(t, customers.keys)), ...plugins]
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, TIMELINE);
    return c.json({
      ...customers.view(row),
      segments: [...(memberships.get(id) ?? [])].sort(),
      activeRuns: runs,
      timeline: entries,
      // Opens, clicks and orders by local hour: what a best-time wait learns from.
      usualHours: { zone, counts: hours.get(id) ?? [] },
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

/** Rejections of a partial batch: the item's place in the array and why. */
export interface Rejected {
  index: number;
  message: string;
}

/**
 * Each item of a partial batch checked on its own: the good ones encoded, each bad one (or an id
 * already given earlier in the batch) named with its reason.
 */
function encodeEach(
  services: AppEnv['Variables']['services'],
  body: unknown[],
): { writes: CustomerWrite[]; rejected: Rejected[] } {
  if (body.length > MAX_BATCH) throw badRequest(`a batch holds at most ${MAX_BATCH} customers`);
  const now = services.now();
  const writes: CustomerWrite[] = [];
  const rejected: Rejected[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of body.entries()) {
    try {
      const item = batchItem(raw);
      if (seen.has(item.id)) {
        rejected.push({ index, message: `id "${item.id}" comes earlier in the same batch` });
        continue;
      }
      const encoded = services.customers.encode(item.id, item, 'import', now);
      if (!encoded.ok) rejected.push({ index, message: encoded.errors.join('; ') });
      else {
        seen.add(item.id);
        writes.push(encoded.write);
      }
    } catch (error) {
      const message = itemMessage(error);
      if (message === null) throw error;
      rejected.push({ index, message });
    }
  }
  return { writes, rejected };
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
