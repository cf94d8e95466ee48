import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db.ts';

/** Scrubs one table of a customer `from`, who becomes `to` (inside the erasure's transaction). */
type Eraser = (db: Db, from: string, to: string, now: Date) => Promise<unknown>;

/**
 * Every engine table that names a customer, and how to scrub it: a table added later adds its
 * line here, so an erasure never misses one. Plugins scrub their own tables (their `privacy.erase`,
 * run in the same transaction before the profile goes).
 */
const ERASERS: Eraser[] = [
  // The keys first, found through the events they key (the customer's index is on `events`).
  (db, from, to) =>
    sql`UPDATE event_keys k SET customer_id = ${to} FROM events e
        WHERE e.customer_id = ${from} AND k.id = e.id AND k.customer_id = ${from}`.execute(db),
  (db, from, to) =>
    sql`UPDATE events SET customer_id = ${to}, data = '{}'::jsonb WHERE customer_id = ${from}`.execute(db),
  (db, from, to) =>
    sql`UPDATE event_dispatch SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  // A row's later entries (detail.after) keep what happened and where, without their details.
  (db, from, _to) =>
    sql`UPDATE run_history h SET detail = CASE WHEN h.detail ? 'after' THEN jsonb_build_object('after',
          (SELECT jsonb_agg(e.entry - 'detail' ORDER BY e.n)
           FROM jsonb_array_elements(h.detail->'after') WITH ORDINALITY AS e(entry, n))) END
        FROM runs r WHERE r.id = h.run_id AND r.customer_id = ${from}`.execute(db),
  (db, from) =>
    sql`UPDATE step_results s SET output = NULL, error = NULL FROM runs r WHERE r.id = s.run_id AND r.customer_id = ${from}`.execute(
      db,
    ),
  // The jobs that drive the customer's runs (steps, deferred sends, timers, dead steps, shared
  // steps) carry only run ids, but a failed one keeps its error as output, and a provider's error
  // may quote an address: cleared (before the runs are renamed, while they still name the customer).
  (db, from) =>
    sql`UPDATE pgboss.job j SET output = NULL, source_output = NULL
        WHERE j.name IN ('tend-step', 'tend-timer', 'tend-step-dead')
          AND (j.output IS NOT NULL OR j.source_output IS NOT NULL)
          AND j.data->>'run' IN (SELECT id::text FROM runs WHERE customer_id = ${from})`.execute(db),
  (db, from) =>
    sql`UPDATE pgboss.job j SET output = NULL, source_output = NULL
        WHERE j.name = 'tend-steps'
          AND (j.output IS NOT NULL OR j.source_output IS NOT NULL)
          AND jsonb_exists_any(j.data->'runs',
            ARRAY(SELECT id::text FROM runs WHERE customer_id = ${from}))`.execute(db),
  (db, from, to, now) =>
    sql`UPDATE runs SET customer_id = ${to}, key = CASE WHEN key IS NULL THEN NULL ELSE 'erased' END,
          snapshot = jsonb_set(snapshot, '{context}', jsonb_build_object('vars', '{}'::jsonb, 'steps', '{}'::jsonb,
            'lastEvent', NULL, 'outcome', snapshot->'context'->'outcome', 'error', NULL)),
          status = CASE WHEN status = 'active' THEN 'cancelled' ELSE status END,
          outcome = CASE WHEN status = 'active' THEN 'erased' ELSE outcome END,
          ended_at = coalesce(ended_at, ${now}::timestamptz), driver = NULL, awaiting = NULL, rev = rev + 1
        WHERE customer_id = ${from}`.execute(db),
  // Dispatch jobs name the customers they are for; finished ones linger in pg-boss for a while
  // (the events plugins emit — tier changes, answers, completed tasks — travel in these too). A
  // failed one's error output goes with the name.
  (db, from, to) =>
    sql`UPDATE pgboss.job SET data = jsonb_set(data, '{customers}',
          (SELECT jsonb_agg(CASE WHEN c = to_jsonb(${from}::text) THEN to_jsonb(${to}::text) ELSE c END)
           FROM jsonb_array_elements(data->'customers') c)), output = NULL
        WHERE name = 'tend-dispatch' AND jsonb_exists(data->'customers', ${from})`.execute(db),
  (db, from, to) =>
    sql`UPDATE customer_metrics SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  // Predictions are about the person and are made again from the orders each night: removed.
  (db, from) => sql`DELETE FROM customer_predictions WHERE customer_id = ${from}`.execute(db),
  (db, from, to) =>
    sql`UPDATE segment_members SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  // An experiment's arm and conversion are counts, not the person's: they stay, under the pseudonym.
  (db, from, to) =>
    sql`UPDATE experiment_assignments SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  (db, from, to) => sql`UPDATE trigger_fires SET customer_id = ${to} WHERE customer_id = ${from}`.execute(db),
  (db, from, to) =>
    sql`UPDATE paused_entries SET customer_id = ${to}, key = CASE WHEN key IS NULL THEN NULL ELSE 'erased' END
        WHERE customer_id = ${from}`.execute(db),
  // Messages (also the dev mailbox and staff reminders about the person): who they went to and
  // what they said are the person's. Channel, template, purpose, status, the reason code of a
  // skip, attempts and times stay: delivery rates and frequency caps keep adding up. Also gone:
  // the detail (a provider's error quotes the address), the provider's message id (in its logs it
  // leads to the recipient), the locale (as on the profile), and feedback details (bounce texts,
  // clicked URLs): feedback keeps its kinds and times. A message not sent yet never will be.
  (db, from, to, now) =>
    sql`UPDATE outbox SET customer_id = ${to}, to_enc = NULL, content_enc = NULL, detail = NULL,
          provider_id = NULL, locale = NULL,
          feedback = (SELECT coalesce(jsonb_agg(f.e - 'detail' ORDER BY f.n), '[]'::jsonb)
                      FROM jsonb_array_elements(feedback) WITH ORDINALITY f(e, n)),
          reason = CASE WHEN status IN ('pending', 'deferred') THEN 'erased' ELSE reason END,
          status = CASE WHEN status IN ('pending', 'deferred') THEN 'skipped' ELSE status END,
          updated_at = ${now}
        WHERE customer_id = ${from}`.execute(db),
];

/** Last, after the plugins: the audit trail's details and the profile itself. */
const PROFILE_ERASERS: Eraser[] = [
  (db, from, to) =>
    sql`UPDATE audit_log SET entity_id = ${to}, detail = NULL WHERE entity = 'customer' AND entity_id = ${from}`.execute(
      db,
    ),
  (db, from, to, now) =>
    sql`UPDATE customers SET id = ${to}, email_enc = NULL, email_hash = NULL, phone_enc = NULL, phone_hash = NULL,
          name_enc = NULL, name_grams = NULL, birthday_enc = NULL, birthday_md = NULL, attributes = '{}'::jsonb, tags = '{}',
          consent = '{}'::jsonb, locale = NULL, owner = NULL, timezone = NULL, facets = '{}'::jsonb, erased_at = ${now},
          updated_at = ${now}
        WHERE id = ${from}`.execute(db),
];

/**
 * Erases a customer's personal data: profile fields, event payloads, run data and history
 * details, messages, and (through `plugins`) what each plugin keeps, everywhere; the id becomes
 * a pseudonym, so counts (runs, outcomes, orders, messages, answers, points) stay and nothing
 * leads back to the person. Call inside a transaction. Returns the pseudonym.
 */
export async function eraseCustomer(
  db: Db,
  id: string,
  now: Date,
  plugins: (db: Db, from: string, to: string) => Promise<void>,
): Promise<string> {
  const pseudonym = `erased-${createHash('sha256').update(id).update(randomBytes(16)).digest('hex').slice(0, 20)}`;
  await sql`SELECT 1 FROM customers WHERE id = ${id} FOR UPDATE`.execute(db);
  for (const erase of ERASERS) await erase(db, id, pseudonym, now);
  await plugins(db, id, pseudonym);
  for (const erase of PROFILE_ERASERS) await erase(db, id, pseudonym, now);
  return pseudonym;
}
