import {
  type PluginContext,
  parseDuration,
  type StepContext,
  type StepDefinition,
  StepError,
  type TaskService,
} from '@tend/plugin-sdk';
import { announce } from './announce.ts';
import { escalateComplaint, getComplaint, rateComplaint } from './complaints-store.ts';
import { formLink, reference } from './form-routes.ts';
import { takeComplaint } from './intake.ts';
import { escalationChain, hoursOf, policyFor, SEVERITIES, type Severity } from './policy.ts';
import { tellStaff } from './staff-notice.ts';
import { addWorkingTime } from './working-hours.ts';

const complaintRef = {
  type: 'string',
  title: 'Complaint',
  description: 'The complaint’s id, usually "{{ event.data.complaintId }}"',
  'x-zh-CN': { title: '投诉', description: '投诉 ID，通常为 "{{ event.data.complaintId }}"' },
  minLength: 1,
} as const;

const user = (code: string, message: string) =>
  new StepError(code, message, { kind: 'user', retryable: false });

async function complaintOf(ctx: StepContext<{ complaint: string }>) {
  const { db } = ctx.services;
  const id = ctx.config.complaint.trim();
  const row = /^[0-9a-f-]{36}$/.test(id) ? await getComplaint(db, id) : null;
  if (!row) throw user('unknown_complaint', `complaint "${id}" not found`);
  if (row.customer_id !== ctx.customer.id)
    throw user('unknown_complaint', `complaint "${id}" is not customer ${ctx.customer.id}'s`);
  return row;
}

const file: StepDefinition<{ category: string; severity?: Severity; description: string; store?: string }> = {
  name: 'file',
  title: { en: 'File a complaint', 'zh-CN': '登记投诉' },
  description: {
    en: 'Records a complaint for the customer, e.g. from another system’s event or a very low survey score. It is routed, gets its deadlines and sends complaint.received.',
    'zh-CN':
      '为客户登记一条投诉，例如来自其他系统的事件或很低的问卷评分。系统会分配负责人、设定期限并发出 complaint.received。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      category: {
        type: 'string',
        title: 'Category',
        description: 'One of the categories in service/complaints.yaml',
        'x-zh-CN': { title: '类别', description: 'service/complaints.yaml 中的类别之一' },
        minLength: 1,
      },
      severity: {
        type: 'string',
        title: 'Severity',
        description: 'low, medium or high (default medium)',
        'x-zh-CN': { title: '严重程度', description: 'low、medium 或 high（默认 medium）' },
        pattern: '^(low|medium|high)$|\\{\\{',
      },
      description: {
        type: 'string',
        title: 'Description',
        description: 'What happened, e.g. "{{ event.data.text }}"',
        'x-zh-CN': { title: '描述', description: '发生了什么，如 "{{ event.data.text }}"' },
        minLength: 1,
        maxLength: 4000,
      },
      store: { type: 'string', title: 'Store', 'x-zh-CN': { title: '门店' }, maxLength: 100 },
    },
    required: ['category', 'description'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { complaintId: { type: 'string' }, reference: { type: 'string' }, owner: { type: 'string' } },
    required: ['complaintId', 'reference', 'owner'],
  },
  run: async (ctx) => {
    const severity = (ctx.config.severity ?? 'medium').trim();
    if (!(SEVERITIES as readonly string[]).includes(severity))
      throw user('invalid_severity', `severity "${severity}" is not low, medium or high`);
    const taken = await takeComplaint(ctx.services, policyFor(ctx.services.host), {
      key: ctx.idempotencyKey,
      customerId: ctx.customer.id,
      channel: 'event',
      category: ctx.config.category.trim(),
      severity: severity as Severity,
      description: ctx.config.description,
      attachments: [],
      store: ctx.config.store?.trim() || null,
      by: `journey:${ctx.run.workflowId}`,
    });
    if (!taken.ok) throw user(taken.code, taken.message);
    return {
      status: 'done',
      output: { complaintId: taken.row.id, reference: reference(taken.row.id), owner: taken.row.owner },
    };
  },
  preview: (ctx) => ({
    summary: `complaint (${ctx.config.category}) for ${ctx.customer.owner ?? 'the routed owner'}`,
    output: { complaintId: 'preview', reference: 'PREVIEW', owner: ctx.customer.owner ?? '(routed)' },
  }),
};

const escalate: StepDefinition<{ complaint: string; due?: string }> = {
  name: 'escalate',
  title: { en: 'Escalate a complaint', 'zh-CN': '升级投诉' },
  description: {
    en: 'Hands a late complaint to the next level (the owner’s team lead, then the manager, from service/complaints.yaml): a task in their inbox and an email. Nobody above: nothing changes.',
    'zh-CN':
      '把逾期的投诉交给上一级（负责人的组长，然后是经理，见 service/complaints.yaml）：在其任务列表中创建任务并发邮件。没有上一级时不变。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      complaint: complaintRef,
      due: {
        type: 'string',
        title: 'Task due in',
        description: 'Working time for the escalated task, e.g. 2h (default 4h)',
        'x-zh-CN': { title: '任务期限', description: '升级任务的工作时长，如 2h（默认 4h）' },
        pattern: '^\\d+[mhdw]$|\\{\\{',
      },
    },
    required: ['complaint'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      escalated: { type: 'boolean' },
      owner: { type: 'string' },
      level: { type: 'integer' },
      taskId: { type: ['string', 'null'] },
    },
    required: ['escalated', 'owner', 'level'],
  },
  run: async (ctx) => {
    const services = ctx.services as PluginContext;
    const row = await complaintOf(ctx);
    if (row.status !== 'open' && row.status !== 'acknowledged') {
      return {
        status: 'done',
        output: { escalated: false, owner: row.owner, level: row.level, taskId: null },
      };
    }
    const policy = policyFor(services.host).get();
    const due = parseDuration(ctx.config.due ?? '4h');
    if (!due.ok) throw user('invalid_due', `due: "${ctx.config.due}" is not a duration such as 2h`);
    const changeId = `${row.id}:escalated:${ctx.idempotencyKey}`;
    // A repeat of this step (after a crash) finds its change made and goes on with the same keys.
    const next = escalationChain(policy, row.owner)[1];
    const after =
      (next &&
        (await escalateComplaint(
          services.db,
          row.id,
          { owner: next, level: row.level + 1 },
          {
            id: changeId,
            at: ctx.now,
            by: `journey:${ctx.run.workflowId}`,
            kind: 'escalated',
            detail: { from: row.owner, to: next, level: row.level + 1 },
            note_enc: null,
          },
        ))) ||
      (await getComplaint(services.db, row.id));
    if (!after || (after.owner === row.owner && !next)) {
      return {
        status: 'done',
        output: { escalated: false, owner: row.owner, level: row.level, taskId: null },
      };
    }
    const ref = reference(after.id);
    const task = await services.use<TaskService>('tasks').create({
      key: `complaint-escalation:${ctx.idempotencyKey}`,
      customerId: after.customer_id,
      assignee: after.owner,
      title: `Overdue complaint ${ref} (${after.category}, ${after.severity}) escalated from ${row.owner}`,
      note: services.crypto.decrypt(after.description_enc),
      dueAt: addWorkingTime(ctx.now, due.ms, hoursOf(policy, after.owner, services.host.defaultTimezone)),
      workflowId: ctx.run.workflowId,
      runId: ctx.run.id,
    });
    await tellStaff(services, {
      key: `complaint-escalated:${ctx.idempotencyKey}`,
      to: after.owner,
      template: 'complaint-escalated',
      customerId: after.customer_id,
      scope: {
        complaint: {
          reference: ref,
          category: after.category,
          severity: after.severity,
          from: row.owner,
          level: after.level,
          receivedAt: after.received_at.toISOString(),
        },
        tasksUrl: `${services.host.publicUrl()}/tasks`,
        zone: services.host.defaultTimezone,
      },
      now: ctx.now,
      signal: ctx.signal,
    });
    await announce(services, after, 'complaint.escalated', changeId, { from: row.owner });
    return {
      status: 'done',
      output: { escalated: true, owner: after.owner, level: after.level, taskId: task.taskId },
    };
  },
  preview: (ctx) => ({
    summary: `escalate complaint ${ctx.config.complaint} to the next level`,
    output: { escalated: true, owner: '(team lead)', level: 1, taskId: 'preview' },
  }),
};

const rate: StepDefinition<{ complaint: string; score: number | string }> = {
  name: 'rate',
  title: { en: 'Record CSAT of a complaint', 'zh-CN': '记录投诉满意度' },
  description: {
    en: 'Keeps the customer’s satisfaction score after the complaint was resolved, for the complaint analysis.',
    'zh-CN': '记录投诉解决后客户的满意度评分，用于投诉分析。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      complaint: complaintRef,
      score: {
        title: 'Score',
        description: 'Usually "{{ event.data.score }}" of a CSAT survey (1–5)',
        'x-zh-CN': { title: '评分', description: '通常为 CSAT 问卷的 "{{ event.data.score }}"（1–5）' },
        anyOf: [
          { type: 'integer', minimum: 0, maximum: 10 },
          { type: 'string', pattern: '^\\s*\\d+\\s*$|\\{\\{' },
        ],
      },
    },
    required: ['complaint', 'score'],
    additionalProperties: false,
  },
  outputSchema: { type: 'object', properties: { csat: { type: 'integer' } }, required: ['csat'] },
  run: async (ctx) => {
    const row = await complaintOf(ctx);
    const score = Number(String(ctx.config.score).trim());
    if (!Number.isInteger(score) || score < 0 || score > 10)
      throw user('invalid_score', `score "${ctx.config.score}" is not a whole number from 0 to 10`);
    const services = ctx.services as PluginContext;
    await rateComplaint(services.db, row.id, score, {
      id: `${row.id}:rated:${ctx.idempotencyKey}`,
      at: ctx.now,
      by: 'customer',
      kind: 'rated',
      detail: { csat: score },
      note_enc: null,
    });
    return { status: 'done', output: { csat: score } };
  },
  preview: (ctx) => ({ summary: `CSAT ${ctx.config.score} for the complaint`, output: { csat: 5 } }),
};

const link: StepDefinition<{ days?: number }> = {
  name: 'form-link',
  title: { en: 'Link to the complaint form', 'zh-CN': '投诉表单链接' },
  description: {
    en: 'A signed link to the hosted complaint form for this customer (output url), to put in a message.',
    'zh-CN': '为该客户生成托管投诉表单的签名链接（输出 url），可放入消息中。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      days: {
        type: 'integer',
        title: 'Valid for (days)',
        'x-zh-CN': { title: '有效天数' },
        minimum: 1,
        maximum: 365,
      },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { url: { type: 'string' }, expiresAt: { type: 'string' } },
    required: ['url', 'expiresAt'],
  },
  run: async (ctx) => {
    const made = formLink(ctx.services, ctx.customer.id, ctx.customer.locale ?? null, ctx.config.days ?? 30);
    return { status: 'done', output: { url: made.url, expiresAt: made.expiresAt.toISOString() } };
  },
  preview: () => ({
    summary: 'a link to the complaint form',
    output: { url: 'https://…/complain/…', expiresAt: '' },
  }),
};

/** The plugin's steps; they read the policy of their installation's workflows folder. */
export const COMPLAINT_STEPS: StepDefinition[] = [file, escalate, rate, link];
