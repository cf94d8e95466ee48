import { randomUUID } from 'node:crypto';
import type { StepServices, Task } from '@tend/plugin-sdk';
import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { CustomerCodec } from '../customers/codec.ts';
import { ingestEvents } from '../runtime/ingest.ts';
import { getCustomerRow, lockCustomers, setConsent, upsertCustomers } from '../store/customers.ts';
import type { Db } from '../store/db.ts';
import { applyLedgerEntry, loyaltyOf } from '../store/loyalty-ledger.ts';
import { createSurveyLink } from '../store/survey-links.ts';
import { claimOverdueTasks, createTask, type TaskRow } from '../store/tasks.ts';
import type { CustomerChanges } from './customer-changes.ts';
import { linkSigner } from './link-signer.ts';
import { outboxService } from './outbox-service.ts';

export interface ServiceDeps {
  db: Db;
  boss: PgBoss;
  codec: CustomerCodec;
  config: Config;
  /** Where links point: TEND_PUBLIC_URL, else the address the server listens on (known late). */
  publicUrl: () => string;
  now: () => Date;
  /** Told of every customer a step changes. */
  changes: CustomerChanges;
}

/** The engine's implementation of the plugin SDK's StepServices. */
export function createStepServices(deps: ServiceDeps): StepServices {
  const { db, codec, config } = deps;
  const s = config.pluginSettings;
  const keys = codec.keys;
  const tierOf = (earned: number) =>
    s.loyaltyTiers.reduce(
      (tier, t) => (earned >= t.min ? t.name : tier),
      s.loyaltyTiers[0]?.name ?? 'member',
    );
  // Without TEND_LINK_SECRET, a key derived from the encryption key (an HMAC of a fixed label).
  const linkSecret = s.linkSecret ? Buffer.from(s.linkSecret) : keys.lookup('tend link signing');
  const toTask = (row: TaskRow): Task => ({
    id: row.id,
    key: row.key,
    customerId: row.customer_id,
    assignee: row.assignee,
    title: keys.decrypt(row.title_enc),
    note: row.note_enc ? keys.decrypt(row.note_enc) : null,
    dueAt: row.due_at,
    workflowId: row.workflow_id,
    runId: row.run_id,
    status: row.status as Task['status'],
    createdAt: row.created_at,
    completedAt: row.completed_at,
  });

  return {
    settings: {
      publicUrl: deps.publicUrl,
      workflowsDir: config.workflowsDir,
      defaultTimezone: config.defaultTimezone,
      defaultLocale: s.defaultLocale,
      email: { smtpUrl: s.smtpUrl, from: s.mailFrom },
      sms: s.sms,
      webhook: s.webhook,
      taskReminders: s.taskReminders,
      providerTimeoutMs: s.providerTimeoutMs,
      loyaltyTiers: s.loyaltyTiers,
    },
    customers: {
      async get(id) {
        const row = await getCustomerRow(db, id);
        return row ? codec.view(row) : null;
      },
      async tag(id, add, remove) {
        deps.changes.mark(id);
        return db.transaction().execute(async (trx) => {
          await upsertCustomers(trx, [{ id }], deps.now());
          const row = (await lockCustomers(trx, [id])).get(id);
          const before = row?.tags ?? [];
          const tags = [...new Set([...before.filter((t) => !remove.includes(t)), ...add])];
          await upsertCustomers(trx, [{ id, tags }], deps.now());
          return {
            tags,
            added: tags.filter((t) => !before.includes(t)),
            removed: before.filter((t) => !tags.includes(t)),
          };
        });
      },
      async setAttributes(id, values) {
        deps.changes.mark(id);
        await upsertCustomers(db, [{ id, attributes: values }], deps.now());
      },
      async setConsent(id, channel, status, source) {
        deps.changes.mark(id);
        const now = deps.now();
        await setConsent(db, id, channel, { status, source, at: now.toISOString() }, now);
      },
    },
    events: {
      async emit(events) {
        await ingestEvents(db, deps.boss, events, deps.now());
      },
    },
    links: linkSigner(linkSecret),
    outbox: outboxService(db, keys, s.sendConcurrency, deps.now),
    surveys: {
      async createLink(link, at) {
        const row = await createSurveyLink(db, {
          id: randomUUID(),
          key: link.key,
          survey: link.survey,
          customer_id: link.customerId,
          workflow_id: link.workflowId,
          run_id: link.runId,
          channel: link.channel,
          locale: link.locale,
          segment: link.segment,
          stage: link.stage,
          created_at: at,
          expires_at: link.expiresAt,
        });
        return {
          ...link,
          id: row.id,
          survey: row.survey,
          customerId: row.customer_id,
          expiresAt: row.expires_at,
        };
      },
    },
    tasks: {
      async create(task, at) {
        const { row, created } = await createTask(db, {
          id: randomUUID(),
          key: task.key,
          customer_id: task.customerId,
          assignee: task.assignee,
          title_enc: keys.encrypt(task.title),
          note_enc: task.note ? keys.encrypt(task.note) : null,
          due_at: task.dueAt,
          created_at: at,
          workflow_id: task.workflowId,
          run_id: task.runId,
        });
        return { task: toTask(row), created };
      },
      async claimOverdue(now, limit) {
        return (await claimOverdueTasks(db, now, limit)).map(toTask);
      },
    },
    loyalty: {
      async apply(entry, at) {
        deps.changes.mark(entry.customerId);
        const r = await db.transaction().execute((trx) =>
          applyLedgerEntry(
            trx,
            {
              key: entry.key,
              customer_id: entry.customerId,
              points: entry.points,
              reason: entry.reason,
              workflow_id: entry.workflowId,
              run_id: entry.runId,
              at,
            },
            tierOf,
          ),
        );
        return { status: r.status, repeated: r.repeated, account: r.state };
      },
      account: (customerId) => loyaltyOf(db, customerId, tierOf),
    },
  };
}
