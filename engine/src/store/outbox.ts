import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from './db.ts';
import type { OutboxTable } from './outbox-table.ts';

/** An outbox row as stored (recipient and content are ciphertexts). */
export type OutboxRow = Selectable<OutboxTable>;

/** What writing a message's row sets; attempts, feedback and the provider's answer come later. */
export type OutboxWrite = Pick<
  Insertable<OutboxTable>,
  | 'key'
  | 'customer_id'
  | 'workflow_id'
  | 'run_id'
  | 'channel'
  | 'template'
  | 'locale'
  | 'purpose'
  | 'status'
  | 'reason'
  | 'detail'
  | 'to_enc'
  | 'content_enc'
> & { created_at: Date; deferred_until: Date | null };

/**
 * What deciding on a message needs: its state, without the recipient and content. Those
 * ciphertexts are the bulk of a row (an email's HTML and text, hex-encoded on the wire): the
 * send path reads and returns only this, and the content crosses the socket when written and
 * once more when a held message is sent, instead of on every lock and update.
 */
const STATE_COLUMNS = [
  'key',
  'status',
  'reason',
  'detail',
  'provider',
  'provider_id',
  'attempts',
  'sent_at',
] as const;
export type OutboxState = Pick<OutboxRow, (typeof STATE_COLUMNS)[number]>;

/** Nothing sends these again by itself: `uncertain` waits for a person. */
const SETTLED = ['sent', 'skipped', 'failed', 'uncertain'];
export const isSettled = (status: string) => SETTLED.includes(status);

export async function getOutbox(db: Db, key: string): Promise<OutboxRow | null> {
  const row = await db.selectFrom('outbox').selectAll().where('key', '=', key).executeTakeFirst();
  return row ?? null;
}

/** A message's state, its row locked when asked (inside a transaction). */
export async function outboxState(db: Db, key: string, lock = false): Promise<OutboxState | null> {
  const row = await db
    .selectFrom('outbox')
    .select(STATE_COLUMNS)
    .where('key', '=', key)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
  return row ?? null;
}

/** Serialises one customer's claims (inside a transaction), so caps count every send. */
export async function lockCustomerSends(trx: Db, customerId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`outbox:${customerId}`}))`.execute(trx);
}

/** Journey messages to a customer sent, or being sent, since a moment (other keys than `except`). */
export async function countJourneySends(db: Db, customerId: string, since: Date, except: string) {
  const r = await db
    .selectFrom('outbox')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('customer_id', '=', customerId)
    .where('purpose', '=', 'journey')
    .where('status', 'in', ['pending', 'sent'])
    .where(sql<boolean>`coalesce(sent_at, created_at) >= ${since}`)
    .where('key', '<>', except)
    .executeTakeFirst();
  return r?.n ?? 0;
}

/**
 * Journey messages of one channel (and template, when given) to a customer sent, or being sent,
 * since a moment (other keys than `except`): what a provider's sending limit counts.
 */
export async function countChannelSends(
  db: Db,
  customerId: string,
  channel: string,
  template: string | null,
  since: Date,
  except: string,
) {
  const r = await db
    .selectFrom('outbox')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('customer_id', '=', customerId)
    .where('purpose', '=', 'journey')
    .where('channel', '=', channel)
    .$if(template !== null, (q) => q.where('template', '=', template as string))
    .where('status', 'in', ['pending', 'sent'])
    .where(sql<boolean>`coalesce(sent_at, created_at) >= ${since}`)
    .where('key', '<>', except)
    .executeTakeFirst();
  return r?.n ?? 0;
}

/** Writes a message's row: created, or rewritten while it is not settled yet; returns it then. */
export async function putOutbox(db: Db, w: OutboxWrite, now: Date): Promise<OutboxState | null> {
  const { key: _key, created_at: _at, ...changes } = w;
  const row = await db
    .insertInto('outbox')
    .values({ ...w, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ ...changes, updated_at: now })
        .where('outbox.status', 'not in', SETTLED),
    )
    .returning(STATE_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

export async function markSent(
  db: Db,
  key: string,
  provider: string,
  providerId: string | null,
  at: Date,
): Promise<OutboxState> {
  const row = await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      reason: null,
      detail: null,
      provider,
      provider_id: providerId,
      sent_at: at,
      attempts: sql`attempts + 1`,
      updated_at: at,
    })
    .where('key', '=', key)
    .returning(STATE_COLUMNS)
    .executeTakeFirstOrThrow();
  return row;
}

/** Committed before a provider is called: an attempt that finds it later knows one died meanwhile. */
export async function markSending(db: Db, key: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sending', updated_at: now })
    .where('key', '=', key)
    .where('status', '=', 'pending')
    .execute();
}

/** A hand-over whose outcome is unknown, held for a person. */
export async function markUncertain(
  db: Db,
  key: string,
  reason: string,
  detail: string,
  now: Date,
): Promise<OutboxState> {
  return db
    .updateTable('outbox')
    .set({ status: 'uncertain', reason, detail: detail.slice(0, 1000), updated_at: now })
    .where('key', '=', key)
    .returning(STATE_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** A person's decision on an uncertain message: pending again (to be sent), or failed for good. */
export async function decideUncertain(
  db: Db,
  key: string,
  decision: 'release' | 'drop',
  by: string,
  now: Date,
): Promise<OutboxState | null> {
  const row = await db
    .updateTable('outbox')
    .set(
      decision === 'release'
        ? { status: 'pending', reason: 'released', detail: `released by ${by}`, updated_at: now }
        : { status: 'failed', reason: 'dropped', detail: `dropped by ${by}`, updated_at: now },
    )
    .where('key', '=', key)
    .where('status', '=', 'uncertain')
    .returning(STATE_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

/** A failed attempt: counted, with its error; `failed` for good when it was the last one. */
export async function markAttemptFailed(
  db: Db,
  key: string,
  reason: string,
  detail: string,
  final: boolean,
  now: Date,
): Promise<OutboxState | null> {
  const row = await db
    .updateTable('outbox')
    .set({
      status: final ? 'failed' : 'pending',
      reason,
      detail: detail.slice(0, 1000),
      attempts: sql`attempts + 1`,
      updated_at: now,
    })
    .where('key', '=', key)
    .where('status', 'not in', SETTLED)
    .returning(STATE_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

export interface OutboxFilter {
  customer?: string;
  workflow?: string;
  status?: string;
  channel?: string;
  provider?: string;
  /** The reason code of a skip, deferral or failure (`no_consent`, `frequency_cap`…). */
  reason?: string;
  /** Created in [from, to). */
  from?: Date;
  to?: Date;
  /** Rows created before this (the first page's cursor of old clients). */
  before?: Date;
  /** The last row of the previous page: rows after it, newest first, ties by key. */
  after?: { at: Date; key: string };
  limit: number;
}

/** The conditions of a filter (not its order or cursor); shared by the list and its summary. */
function filteredOutbox(db: Db, f: Omit<OutboxFilter, 'limit' | 'after' | 'before'>) {
  return db
    .selectFrom('outbox')
    .$if(f.customer !== undefined, (q) => q.where('customer_id', '=', f.customer as string))
    .$if(f.workflow !== undefined, (q) => q.where('workflow_id', '=', f.workflow as string))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as string))
    .$if(f.channel !== undefined, (q) => q.where('channel', '=', f.channel as string))
    .$if(f.provider !== undefined, (q) => q.where('provider', '=', f.provider as string))
    .$if(f.reason !== undefined, (q) => q.where('reason', '=', f.reason as string))
    .$if(f.from !== undefined, (q) => q.where('created_at', '>=', f.from as Date))
    .$if(f.to !== undefined, (q) => q.where('created_at', '<', f.to as Date));
}

export async function listOutbox(db: Db, f: OutboxFilter): Promise<OutboxRow[]> {
  const rows = await filteredOutbox(db, f)
    .selectAll()
    .$if(f.before !== undefined, (q) => q.where('created_at', '<', f.before as Date))
    .$if(f.after !== undefined, (q) => {
      const after = f.after as NonNullable<OutboxFilter['after']>;
      return q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.at),
          eb.and([eb('created_at', '=', after.at), eb('key', '>', after.key)]),
        ]),
      );
    })
    .orderBy('created_at', 'desc')
    .orderBy('key')
    .limit(f.limit)
    .execute();
  return rows as OutboxRow[];
}

/** How many messages a filter holds, by status and reason (a reason only where one was given). */
export async function outboxSummary(
  db: Db,
  f: Omit<OutboxFilter, 'limit' | 'after' | 'before'>,
): Promise<{ status: string; reason: string | null; count: number }[]> {
  const rows = await filteredOutbox(db, f)
    .select(['status', 'reason', sql<number>`count(*)::int`.as('count')])
    .groupBy(['status', 'reason'])
    .orderBy('count', 'desc')
    .execute();
  return rows;
}

/**
 * Appends delivery feedback to the message a provider names (by its id, or by our key). A message
 * to a person since erased takes none: a late bounce or click would bring their address back.
 */
export async function addFeedback(
  db: Db,
  id: string,
  entry: { type: string; at: string; detail?: unknown },
  now: Date,
) {
  const row = await db
    .updateTable('outbox')
    .set({
      feedback: sql`feedback || ${JSON.stringify([entry])}::jsonb`,
      updated_at: now,
    })
    .where((eb) => eb.or([eb('provider_id', '=', id), eb('key', '=', id)]))
    .where('status', '=', 'sent')
    .where(
      sql<boolean>`NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = outbox.customer_id AND c.erased_at IS NOT NULL)`,
    )
    .returning(['key', 'customer_id', 'workflow_id', 'channel', 'template', 'provider_id'])
    .executeTakeFirst();
  return row ?? null;
}
