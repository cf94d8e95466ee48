import { sql } from 'kysely';
import type { OrderSource } from './customer-metrics.ts';
import type { Db } from './db.ts';
import { monthBucket } from './monthly-partitions.ts';

export interface DemoCustomer {
  id: string;
  email: { enc: string; hash: string };
  phone: { enc: string; hash: string };
  name: string;
  nameGrams: number[];
  birthday: string;
  birthdayMd: number;
  timezone: string;
  locale: string;
  owner: string;
  attributes: Record<string, unknown>;
  tags: string[];
  consent: Record<string, unknown>;
  createdAt: string;
}

/**
 * Inserts synthetic customers (personal fields already encrypted, base64); returns the ids that
 * were new, so a second seed adds no second history to existing customers.
 */
export async function insertDemoCustomers(db: Db, rows: DemoCustomer[]): Promise<Set<string>> {
  const r = await sql<{ id: string }>`
    INSERT INTO customers (id, email_enc, email_hash, phone_enc, phone_hash, name_enc, name_grams, birthday_enc, birthday_md,
      timezone, locale, owner, attributes, tags, consent, created_at, updated_at)
    SELECT v.id, decode(v.email->>'enc', 'base64'), decode(v.email->>'hash', 'base64'), decode(v.phone->>'enc', 'base64'),
      decode(v.phone->>'hash', 'base64'), decode(v.name, 'base64'), v."nameGrams", decode(v.birthday, 'base64'), v."birthdayMd",
      v.timezone, v.locale, v.owner, v.attributes, ARRAY(SELECT jsonb_array_elements_text(v.tags)), v.consent,
      v."createdAt", v."createdAt"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id text, email jsonb, phone jsonb, name text, "nameGrams" int4[],
      birthday text, "birthdayMd" smallint, timezone text, locale text, owner text, attributes jsonb, tags jsonb,
      consent jsonb, "createdAt" timestamptz)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`.execute(db);
  return new Set(r.rows.map((x) => x.id));
}

/** Each customer's sign-up, as a historical `customer.signed_up` event (not dispatched), received `now`. */
export async function insertDemoSignups(
  db: Db,
  rows: { id: string; source: string; at: string }[],
  now: Date,
): Promise<number> {
  const bucket = sql`${monthBucket(now)}::date`;
  // Keyed like every stored event (store/events.ts#storedEvents): seeding twice adds nothing.
  const r = await sql`
    WITH new_keys AS (
      INSERT INTO event_keys (customer_id, id, bucket)
      SELECT v.id, v.id || ':signed-up', ${bucket}
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id text)
      ON CONFLICT DO NOTHING
      RETURNING customer_id
    )
    INSERT INTO events (id, customer_id, type, data, occurred_at, received_at, bucket)
    SELECT v.id || ':signed-up', v.id, 'customer.signed_up', jsonb_build_object('source', v.source), v.at,
      ${now}::timestamptz, ${bucket}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id text, source text, at timestamptz)
    JOIN new_keys k ON k.customer_id = v.id
    ORDER BY v.at`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** How one synthetic customer buys: how many orders, between when, how much. */
export interface PurchasePlan {
  id: string;
  orders: number;
  from: string;
  to: string;
  /** Mean of the log of an order's amount (log-normal spend). */
  mu: number;
}

/**
 * Inserts the orders of these plans as historical events (not dispatched to journeys): the last
 * at the window's end (recency decides the lifecycle stage), the others uniform in it;
 * log-normal amounts, a random category; numbered per customer in date order, as a shop numbers
 * them (`orderNumber`: develop.yaml starts on the first).
 */
export async function insertDemoOrders(
  db: Db,
  src: OrderSource,
  plans: PurchasePlan[],
  categories: string[],
  now: Date,
): Promise<number> {
  const bucket = sql`${monthBucket(now)}::date`;
  // Each order's id is made once (the CTE is read twice, so it is materialized) for its key and
  // its event.
  const r = await sql`
    WITH orders AS (
      SELECT gen_random_uuid()::text AS event_id, o.* FROM (
        SELECT p.id, CASE WHEN g.k = 1 THEN p."to" ELSE p."from" + random() * (p."to" - p."from") END AS at,
          round(exp(p.mu + 0.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 2) AS amount,
          (${categories}::text[])[1 + floor(random() * ${categories.length})::int] AS category,
          1 + floor(random() * 4)::int AS items
        FROM jsonb_to_recordset(${JSON.stringify(plans)}::jsonb)
          AS p(id text, orders int, "from" timestamptz, "to" timestamptz, mu float8)
        CROSS JOIN LATERAL generate_series(1, p.orders) AS g(k)
      ) o
    ),
    keys AS (INSERT INTO event_keys (customer_id, id, bucket) SELECT id, event_id, ${bucket} FROM orders)
    INSERT INTO events (id, customer_id, type, data, occurred_at, received_at, bucket)
    SELECT o.event_id, o.id, ${src.event}::text,
      jsonb_build_object(
        'orderNumber', row_number() OVER (PARTITION BY o.id ORDER BY o.at),
        ${src.amount}::text, o.amount,
        'category', o.category,
        'items', o.items),
      o.at, ${now}::timestamptz, ${bucket}
    FROM orders o
    ORDER BY o.id, o.at`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
