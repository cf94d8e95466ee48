import { type ExpressionBuilder, type RawBuilder, type Selectable, sql } from 'kysely';
import { anyOf, type Db } from './db.ts';
import { run, type Statement, statement } from './pipeline.ts';
import type { CustomerMetricsTable, CustomerPredictionsTable, CustomersTable, Database } from './schema.ts';

/** A customer's decision about one channel, as stored. */
export interface ConsentRecord {
  status: 'granted' | 'withdrawn';
  /** Where the decision came from: a form, an import, an unsubscribe link… */
  source: string;
  at: string;
}

/**
 * A customer as read with their metrics (customers LEFT JOIN customer_metrics m): the table's
 * columns in CUSTOMER_COLUMNS, and each metric column, null before the first order. Personal
 * fields are ciphertexts (see customers/codec.ts).
 */
export type CustomerRow = Pick<Selectable<CustomersTable>, (typeof CUSTOMER_COLUMNS)[number]> & {
  [K in MetricColumn]: Selectable<CustomerMetricsTable>[K] | null;
} & { [K in PredictionColumn]: Selectable<CustomerPredictionsTable>[K] | null };
type PredictionColumn =
  (typeof PREDICTION_COLUMNS)[number] extends `p.${infer C extends keyof CustomerPredictionsTable}`
    ? C
    : never;
type MetricColumn = (typeof METRIC_COLUMNS)[number] extends `m.${infer C extends keyof CustomerMetricsTable}`
  ? C
  : never;

/** Columns of customer_metrics read with a customer (LEFT JOIN, alias m). */
export const METRIC_COLUMNS = [
  'm.orders',
  'm.revenue',
  'm.first_order_at',
  'm.last_order_at',
  'm.orders_30d',
  'm.orders_90d',
  'm.orders_365d',
  'm.revenue_90d',
  'm.revenue_365d',
  'm.r',
  'm.f',
  'm.m',
  'm.segment',
  'm.abc',
] as const;

/** Columns of customer_predictions read with a customer (LEFT JOIN, alias p): null before the first fit. */
export const PREDICTION_COLUMNS = [
  'p.p_alive',
  'p.expected_orders_90d',
  'p.predicted_value',
  'p.fitted_at',
] as const;

export const CUSTOMER_COLUMNS = [
  'id',
  'attributes',
  'tags',
  'timezone',
  'locale',
  'owner',
  'consent',
  'stage',
  'facets',
  'email_enc',
  'phone_enc',
  'name_enc',
  'birthday_enc',
  'created_at',
  'erased_at',
] as const;

/** A change to one customer; an absent field is left as it is, null clears it. */
export interface CustomerWrite {
  id: string;
  email?: { enc: Buffer; hash: Buffer } | null;
  phone?: { enc: Buffer; hash: Buffer } | null;
  /** The encrypted name and its fragments' keyed hashes. */
  name?: { enc: Buffer; grams: number[] } | null;
  birthday?: { enc: Buffer; monthDay: number } | null;
  timezone?: string | null;
  locale?: string | null;
  owner?: string | null;
  /** Merged key by key into the stored attributes. */
  attributes?: Record<string, unknown>;
  tags?: string[];
  /** Merged channel by channel into the stored consent. */
  consent?: Record<string, ConsentRecord>;
}

/**
 * The statement that creates customers that do not exist yet (an event for an unknown id creates
 * its customer); ingest runs it as part of one statement with the events it stores.
 */
export function insertMissingCustomers(ids: string[], now: Date): RawBuilder<unknown> {
  return sql`
    INSERT INTO customers (id, created_at, updated_at)
    SELECT id, ${now}::timestamptz, ${now}::timestamptz FROM unnest(${ids}::text[]) AS id ORDER BY 1
    ON CONFLICT (id) DO NOTHING`;
}

/**
 * Creates or updates many customers; returns the ids that were new. Two statements: create the
 * missing rows, then apply each change field by field (run it inside a transaction).
 */
export async function upsertCustomers(db: Db, writes: CustomerWrite[], now: Date): Promise<Set<string>> {
  if (writes.length === 0) return new Set();
  const b64 = (b: Buffer | null | undefined) => (b ? b.toString('base64') : null);
  const rows = writes.map((w) => ({
    id: w.id,
    fields: Object.keys(w).filter((k) => k !== 'id'),
    email_enc: b64(w.email?.enc),
    email_hash: b64(w.email?.hash),
    phone_enc: b64(w.phone?.enc),
    phone_hash: b64(w.phone?.hash),
    name_enc: b64(w.name?.enc),
    name_grams: w.name?.grams ?? null,
    birthday_enc: b64(w.birthday?.enc),
    birthday_md: w.birthday?.monthDay ?? null,
    timezone: w.timezone ?? null,
    locale: w.locale ?? null,
    owner: w.owner ?? null,
    attributes: w.attributes ?? {},
    tags: w.tags ?? [],
    consent: w.consent ?? {},
  }));
  const created = await sql<{ id: string }>`
    INSERT INTO customers (id, created_at, updated_at)
    SELECT id, ${now}::timestamptz, ${now}::timestamptz FROM unnest(${rows.map((r) => r.id)}::text[]) AS id
    ORDER BY 1
    ON CONFLICT (id) DO NOTHING RETURNING id`.execute(db);
  const set = (field: string, column: string, value: string) =>
    sql.raw(`${column} = CASE WHEN '${field}' = ANY(v.fields) THEN ${value} ELSE c.${column} END`);
  await sql`
    UPDATE customers AS c SET
      ${set('email', 'email_enc', "decode(v.email_enc, 'base64')")},
      ${set('email', 'email_hash', "decode(v.email_hash, 'base64')")},
      ${set('phone', 'phone_enc', "decode(v.phone_enc, 'base64')")},
      ${set('phone', 'phone_hash', "decode(v.phone_hash, 'base64')")},
      ${set('name', 'name_enc', "decode(v.name_enc, 'base64')")},
      ${set('name', 'name_grams', 'v.name_grams')},
      ${set('birthday', 'birthday_enc', "decode(v.birthday_enc, 'base64')")},
      ${set('birthday', 'birthday_md', 'v.birthday_md')},
      ${set('timezone', 'timezone', 'v.timezone')},
      ${set('locale', 'locale', 'v.locale')},
      ${set('owner', 'owner', 'v.owner')},
      ${set('attributes', 'attributes', 'c.attributes || v.attributes')},
      ${set('tags', 'tags', 'ARRAY(SELECT jsonb_array_elements_text(v.tags))')},
      ${set('consent', 'consent', 'c.consent || v.consent')},
      updated_at = ${now}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id text, fields text[], email_enc text, email_hash text,
      phone_enc text, phone_hash text, name_enc text, name_grams int4[], birthday_enc text, birthday_md smallint, timezone text,
      locale text, owner text, attributes jsonb, tags jsonb, consent jsonb)
    WHERE c.id = v.id`.execute(db);
  return new Set(created.rows.map((r) => r.id));
}

/**
 * Customers joined with their purchase metrics and predictions (LEFT JOINs); `columns`: which of
 * the customer's own (a caller that knows the id already leaves it out).
 */
export const withMetrics = (
  db: Db,
  columns: readonly (typeof CUSTOMER_COLUMNS)[number][] = CUSTOMER_COLUMNS,
) =>
  db
    .selectFrom('customers as c')
    .leftJoin('customer_metrics as m', 'm.customer_id', 'c.id')
    .leftJoin('customer_predictions as p', 'p.customer_id', 'c.id')
    .select(columns.map((col) => `c.${col}` as const))
    .select(METRIC_COLUMNS)
    .select(PREDICTION_COLUMNS);

/** Locks customers in id order (so concurrent lockers never deadlock) and reads them. */
export async function lockCustomers(db: Db, ids: string[]): Promise<Map<string, CustomerRow>> {
  return run(db, lockingCustomers(db, ids));
}

/** lockCustomers as a statement, to send with others (store/pipeline.ts). */
export function lockingCustomers(db: Db, ids: string[]): Statement<Map<string, CustomerRow>> {
  return statement(
    ids.length === 0
      ? null
      : withMetrics(db).where('c.id', '=', anyOf(ids)).orderBy('c.id').forUpdate('c').compile(),
    (rows) => new Map(rows.map((r) => [r.id, r as unknown as CustomerRow])),
  );
}

export async function loadCustomers(db: Db, ids: string[]): Promise<Map<string, CustomerRow>> {
  return run(db, loadingCustomers(db, ids));
}

/** loadCustomers as a statement, to send with others (store/pipeline.ts). */
export function loadingCustomers(db: Db, ids: string[]): Statement<Map<string, CustomerRow>> {
  return statement(
    ids.length === 0 ? null : withMetrics(db).where('c.id', '=', anyOf(ids)).compile(),
    (rows) => new Map(rows.map((r) => [r.id, r as unknown as CustomerRow])),
  );
}

export async function getCustomerRow(db: Db, id: string): Promise<CustomerRow | null> {
  return (await loadCustomers(db, [id])).get(id) ?? null;
}

/** Customers whose email or phone hashes to one of these (identity lookup). */
export async function findByHashes(
  db: Db,
  field: 'email_hash' | 'phone_hash',
  hashes: Buffer[],
): Promise<string[]> {
  if (hashes.length === 0) return [];
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where(field, 'in', hashes)
    .orderBy('id')
    .limit(100)
    .execute();
  return rows.map((r) => r.id);
}

export interface CustomerFilter {
  tag?: string;
  stage?: string;
  owner?: string;
  /** Only customers one of these owns (a staff member's scope). */
  owners?: string[];
  /** RFM segment (`champions`, `at-risk`…) and ABC class. */
  segment?: string;
  abc?: string;
  /** RFM recency and frequency scores (1–5): a cell of the overview's grid. */
  r?: number;
  f?: number;
  /**
   * Partial-name search: the fragments' hashes a name must all have, one list per key (during a
   * rotation a name may still carry an old key's). Candidates: the caller checks the names.
   */
  nameGrams?: number[][];
  /** Only these customers (rows picked by hand). */
  ids?: string[];
  /** Only members of this saved segment. */
  savedSegment?: string;
  /** Only customers with a run of this journey in progress (and in this state). */
  journey?: { workflowId: string; state?: string };
  /** Only customers whose consent for this channel has this status. */
  consent?: { channel: string; status: 'granted' | 'withdrawn' };
  /** By id (default), or newest first: signed up, last ordered, most revenue. */
  sort?: CustomerSort;
  /** Customers whose id sorts after this (pagination by id). */
  after?: string;
  /**
   * The last customer of the previous page of a sorted list: its sort value and id. The value is
   * null for a customer without orders (they come last in the order sorts, by id).
   */
  afterSorted?: { value: string | null; id: string };
  limit: number;
}

export type CustomerSort = 'id' | 'created' | 'last-order' | 'revenue';

/** A listed customer; `sort_value` is what a sorted list's cursor carries (null: no orders). */
export type ListedCustomer = CustomerRow & { sort_value?: string | null };

/** The column an order sort follows (indexed descending with the customer id). */
const ORDER_COLUMN = { 'last-order': 'm.last_order_at', revenue: 'm.revenue' } as const;

/**
 * A page of the base, filtered and in the asked order, each order an index walk on a large base:
 * by id; by sign-up (newest first); by last order or revenue, buyers first (highest first), then
 * customers without orders by id (newest id first), so every customer is listed exactly once.
 */
export async function listCustomers(db: Db, f: CustomerFilter): Promise<ListedCustomer[]> {
  const sort = f.sort ?? 'id';
  if (sort === 'id') {
    const rows = await filtered(db, f)
      .$if(f.after !== undefined, (q) => q.where('c.id', '>', f.after as string))
      .orderBy('c.id')
      .limit(f.limit)
      .execute();
    return rows as unknown as ListedCustomer[];
  }
  if (sort === 'created') {
    const after = f.afterSorted;
    const rows = await filtered(db, f)
      .select(sql<string>`c.created_at::text`.as('sort_value'))
      .$if(after !== undefined, (q) =>
        q.where(sql<boolean>`(c.created_at, c.id) < (${after?.value}::timestamptz, ${after?.id})`),
      )
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(f.limit)
      .execute();
    return rows as unknown as ListedCustomer[];
  }
  const column = ORDER_COLUMN[sort];
  const after = f.afterSorted;
  const buyers: ListedCustomer[] =
    after && after.value === null
      ? []
      : ((await filtered(db, f)
          .select(sql<string>`${sql.ref(column)}::text`.as('sort_value'))
          .where(column, 'is not', null)
          .$if(after !== undefined, (q) =>
            q.where(
              sql<boolean>`(${sql.ref(column)}, m.customer_id) < (${after?.value}::${sql.raw(sort === 'revenue' ? 'numeric' : 'timestamptz')}, ${after?.id})`,
            ),
          )
          .orderBy(column, 'desc')
          .orderBy('m.customer_id', 'desc')
          .limit(f.limit)
          .execute()) as unknown as ListedCustomer[]);
  if (buyers.length === f.limit) return buyers;
  const rest = await filtered(db, f)
    .select(sql<null>`null`.as('sort_value'))
    .where(column, 'is', null)
    .$if(after?.value === null, (q) => q.where('c.id', '<', after?.id as string))
    .orderBy('c.id', 'desc')
    .limit(f.limit - buyers.length)
    .execute();
  return [...buyers, ...(rest as unknown as ListedCustomer[])];
}

/** How many customers a filter holds (a name search: its candidates, an upper bound). */
export async function countCustomers(db: Db, f: Omit<CustomerFilter, 'limit'>): Promise<number> {
  const row = await filtered(db, { ...f, limit: 0 })
    .clearSelect()
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirst();
  return row?.n ?? 0;
}

/** The base with a filter's conditions (not its order or cursor). */
function filtered(db: Db, f: CustomerFilter) {
  return withMetrics(db)
    .where('c.erased_at', 'is', null)
    .$if(f.tag !== undefined, (q) => q.where(sql<boolean>`${f.tag} = ANY(c.tags)`))
    .$if(f.stage !== undefined, (q) => q.where('c.stage', '=', f.stage as string))
    .$if(f.owner !== undefined, (q) => q.where('c.owner', '=', f.owner as string))
    .$if(f.owners !== undefined, (q) => q.where('c.owner', 'in', f.owners as string[]))
    .$if(f.segment !== undefined, (q) => q.where('m.segment', '=', f.segment as string))
    .$if(f.abc !== undefined, (q) => q.where('m.abc', '=', f.abc as string))
    .$if(f.r !== undefined, (q) => q.where('m.r', '=', f.r as number))
    .$if(f.f !== undefined, (q) => q.where('m.f', '=', f.f as number))
    .$if(f.nameGrams !== undefined, (q) =>
      q.where((eb) =>
        eb.or((f.nameGrams as number[][]).map((grams) => eb(sql`c.name_grams`, '@>', sql`${grams}::int4[]`))),
      ),
    )
    .$if(f.ids !== undefined, (q) => q.where('c.id', 'in', f.ids as string[]))
    .$if(f.savedSegment !== undefined, (q) =>
      q.where(
        'c.id',
        'in',
        db
          .selectFrom('segment_members')
          .select('customer_id')
          .where('segment_id', '=', f.savedSegment as string),
      ),
    )
    .$if(f.journey !== undefined, (q) => {
      const j = f.journey as NonNullable<CustomerFilter['journey']>;
      return q.where(
        'c.id',
        'in',
        db
          .selectFrom('runs')
          .select('customer_id')
          .where('workflow_id', '=', j.workflowId)
          .where('status', '=', 'active')
          .$if(j.state !== undefined, (r) => r.where('state', '=', j.state as string)),
      );
    })
    .$if(f.consent !== undefined, (q) => {
      const consent = f.consent as NonNullable<CustomerFilter['consent']>;
      return q.where(sql<boolean>`c.consent -> ${consent.channel} ->> 'status' = ${consent.status}`);
    });
}

/** Records a consent decision for one channel (an unsubscribe, say). */
export async function setConsent(
  db: Db,
  id: string,
  channel: string,
  record: ConsentRecord,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('customers')
    .set((eb: ExpressionBuilder<Database, 'customers'>) => ({
      consent: sql`${eb.ref('consent')} || jsonb_build_object(${channel}::text, ${JSON.stringify(record)}::jsonb)`,
      updated_at: now,
    }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Stores a plugin's facet of a customer (null removes it); false when there is no such customer. */
export async function setFacet(
  db: Db,
  id: string,
  facet: string,
  value: Record<string, unknown> | null,
  now: Date,
): Promise<boolean> {
  const facets =
    value === null
      ? sql`facets - ${facet}::text`
      : sql`facets || jsonb_build_object(${facet}::text, ${JSON.stringify(value)}::jsonb)`;
  const r = await db
    .updateTable('customers')
    .set({ facets: facets as never, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
