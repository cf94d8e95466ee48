import type { Exception, ReasonList } from './citus-ready.ts';

/*
 * The tables that are not distributed by customer (docs/scaling.md). "Reference": small, read
 * in joins with customers' rows, copied to every node. "Coordinator": written and read only by
 * staff or by start-up, never joined with customers' rows, kept on the coordinator alone.
 */
export const REFERENCE_TABLES: ReasonList = {
  'public.workflows': 'reference: one row per journey, joined by every run and dispatch',
  'public.workflow_versions': 'reference: compiled journeys, read by every node that moves runs',
  'public.workflow_files': 'reference: templates and surveys by version, read when a step renders',
  'public.segments': 'reference: segment definitions, joined with segment_members',
  'public.rfm_thresholds': 'reference: the RFM cut points, one row per recompute',
  'public.trigger_occurrences': 'reference: one row per time-trigger occurrence and zone, not per customer',
  'public.experiment_decisions':
    'reference: one row per decided experiment, read by every node that moves runs',
  'public.engine_state': 'reference: a handful of keys (schedules, counters of the overview)',
  'public.plugin_store': 'reference: plugins’ own settings and small state',
  'public.api_keys': 'coordinator: keys people made, read when a request authenticates',
  'public.users': 'coordinator: the people who sign in',
  'public.sessions': 'coordinator: their sessions',
  'public.editor_layouts': 'coordinator: where people placed nodes on the canvas',
  'public.audit_log': 'coordinator: what people did, read by admins only',
  'public.bulk_actions': 'coordinator: one row per bulk action a person started',
  'public.bulk_export_parts': 'coordinator: the parts of a bulk export, by action',
  'public.kysely_migration': 'coordinator: the engine’s applied migrations',
  'public.kysely_migration_lock': 'coordinator: the lock of the engine’s migrations',
  'plugin_messaging.brand': 'reference: the company’s name, logo and colours (one row)',
  'plugin_tasks.digests': 'coordinator: one row per staff member and day (the digest sent)',
};

/*
 * Customer-scoped tables that do not carry the customer in every key yet: tables on the
 * benchmarks' hot path, where the change costs a column in every write; docs/scaling.md gives the
 * figures and the order of the migrations that will bring them.
 */
export const EXCEPTIONS: Record<string, Exception> = {
  'public.run_history': {
    why: 'no customer_id: rows name their run; the column would be written with every transition',
    measured: 'one row per transition, 10,342 transitions/s in the engine benchmark; docs/scaling.md',
    migration:
      'add customer_id (filled from runs), written by store/run-writes.ts; key (id, bucket, customer_id)',
  },
  'public.run_inbox': {
    why: 'no customer_id: rows name their run and event',
    measured: 'written and emptied on the engine benchmark’s hot path (store/run-writes.ts); docs/scaling.md',
    migration: 'add customer_id (filled from runs); key (run_id, event_seq, customer_id)',
  },
  'public.step_results': {
    why: 'no customer_id: rows name their run; keyed by the step’s idempotency key',
    measured: 'one row per completed step on the engine benchmark’s hot path; docs/scaling.md',
    migration: 'add customer_id (filled from runs), the step worker passes it; key (key, customer_id)',
  },
  'plugin_referrals.codes': {
    why: 'a referral code is unique across all customers (a link names only the code)',
    measured: 'one row per customer who shares a code; read once per link opened and sign-up credited',
    migration:
      'the code → customer lookup moves to its own table distributed by code; this one keyed (customer_id)',
  },
  'public.outbox': {
    why: 'customer_id is null for messages to staff (reminders, digests): a key column cannot be null',
    measured:
      'every message of the messaging benchmark claims its row by key (314 messages/s); docs/scaling.md',
    migration:
      'staff messages get the staff member as `staff:<id>`, customer_id NOT NULL; key (key, customer_id)',
  },
};
