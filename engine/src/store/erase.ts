import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * Every table that names a customer, and how to scrub it. Tables added later (plugins' outbox,
 * tasks…) add their line here, so an erasure never misses one.
 */
const ERASERS: ((db: Db, from: string, to: string) => Promise<unknown>)[] = [
  (db, from, to) =>
    sql`UPDATE events SET customer_id = ${to}, data = '{}'::jsonb WHERE customer_id = ${from}`.execute(db),
  (db, from, to) =>
    sql`UPDATE event_dispatch SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  (db, from, _to) =>
    sql`UPDATE run_history h SET detail = NULL FROM runs r WHERE r.id = h.run_id AND r.customer_id = ${from}`.execute(
      db,
    ),
  (db, from) =>
    sql`UPDATE step_results s SET output = NULL, error = NULL FROM runs r WHERE r.id = s.run_id AND r.customer_id = ${from}`.execute(
      db,
    ),
  (db, from, to) =>
    sql`UPDATE runs SET customer_id = ${to}, key = CASE WHEN key IS NULL THEN NULL ELSE 'erased' END,
          snapshot = jsonb_set(snapshot, '{context}', jsonb_build_object('vars', '{}'::jsonb, 'steps', '{}'::jsonb,
            'lastEvent', NULL, 'outcome', snapshot->'context'->'outcome', 'error', NULL)),
          status = CASE WHEN status = 'active' THEN 'cancelled' ELSE status END,
          outcome = CASE WHEN status = 'active' THEN 'erased' ELSE outcome END,
          ended_at = coalesce(ended_at, now()), driver = NULL, awaiting = NULL, rev = rev + 1
        WHERE customer_id = ${from}`.execute(db),
  // Dispatch jobs name the customers they are for; finished ones linger in pg-boss for a while.
  (db, from, to) =>
    sql`UPDATE pgboss.job SET data = jsonb_set(data, '{customers}',
          (SELECT jsonb_agg(CASE WHEN c = to_jsonb(${from}::text) THEN to_jsonb(${to}::text) ELSE c END)
           FROM jsonb_array_elements(data->'customers') c))
        WHERE name = 'tend-dispatch' AND jsonb_exists(data->'customers', ${from})`.execute(db),
  (db, from, to) =>
    sql`UPDATE customer_metrics SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  (db, from, to) =>
    sql`UPDATE segment_members SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  (db, from, to) => sql`UPDATE trigger_fires SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  (db, from, to) =>
    sql`UPDATE paused_entries SET customer_id = ${to}, key = CASE WHEN key IS NULL THEN NULL ELSE 'erased' END
        WHERE customer_id = ${from}`.execute(db),
  (db, from, to) =>
    sql`UPDATE audit_log SET entity_id = ${to}, detail = NULL WHERE entity = 'customer' AND entity_id = ${from}`.execute(
      db,
    ),
  (db, from, to) =>
    sql`UPDATE customers SET id = ${to}, email_enc = NULL, email_hash = NULL, phone_enc = NULL, phone_hash = NULL,
          name_enc = NULL, birthday_enc = NULL, birthday_md = NULL, attributes = '{}'::jsonb, tags = '{}',
          consent = '{}'::jsonb, locale = NULL, owner = NULL, timezone = NULL, erased_at = now(), updated_at = now()
        WHERE id = ${from}`.execute(db),
];

/** Lets a table added later take part in erasures (run inside the erasure's transaction). */
export function addEraser(eraser: (db: Db, from: string, to: string) => Promise<unknown>): void {
  ERASERS.push(eraser);
}

/**
 * Erases a customer's personal data: profile fields, event payloads, run data and history
 * details, everywhere; the id becomes a pseudonym, so counts (runs, outcomes, orders) stay and
 * nothing leads back to the person. Call inside a transaction. Returns the pseudonym.
 */
export async function eraseCustomer(db: Db, id: string): Promise<string> {
  const pseudonym = `erased-${createHash('sha256').update(id).update(randomBytes(16)).digest('hex').slice(0, 20)}`;
  await sql`SELECT 1 FROM customers WHERE id = ${id} FOR UPDATE`.execute(db);
  for (const erase of ERASERS) await erase(db, id, pseudonym);
  return pseudonym;
}
