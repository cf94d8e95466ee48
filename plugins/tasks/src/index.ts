import { randomUUID } from 'node:crypto';
import {
  DURATION_PATTERN,
  definePlugin,
  ERASED_TEXT,
  type Localized,
  localProviderProblem,
  type PluginContext,
  parseDuration,
  type StepDefinition,
  StepError,
} from '@tend/plugin-sdk';
import { sendDigests } from './digest.ts';
import { followupsOf } from './followups-store.ts';
import { remindOverdue } from './reminders.ts';
import { tasksDocs } from './route-docs.ts';
import { tasksApi } from './routes.ts';
import { settingsSchema, type TasksSettings } from './settings.ts';
import { taskService } from './task-service.ts';
import { followupView, taskView } from './task-view.ts';
import { createTask, eraseTasks, MIGRATIONS, tasksOf } from './tasks-store.ts';
import { followupEntry, taskEntry } from './timeline.ts';

interface CreateConfig {
  title: string;
  due: string;
  assignee?: string;
  note?: string;
}

const create: StepDefinition<CreateConfig> = {
  name: 'create',
  title: { en: 'Create a follow-up task', 'zh-CN': '创建跟进任务' },
  description: {
    en: 'Creates a task for the customer’s owner (or someone you name), due after a while. Staff see it in their task list; completing it sends the event task.completed, and an overdue task reminds its assignee.',
    'zh-CN':
      '为客户负责人（或指定的人）创建一个有截止时间的任务。员工在任务列表中看到它；完成时发出事件 task.completed，逾期时提醒负责人。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      title: {
        type: 'string',
        title: 'Title',
        description: 'May use the customer’s fields, e.g. "Call {{ customer.name }} about their order"',
        'x-zh-CN': { title: '标题', description: '可使用客户字段，如 "致电 {{ customer.name }} 了解订单"' },
        minLength: 1,
        maxLength: 300,
      },
      due: {
        type: 'string',
        title: 'Due in',
        description: 'e.g. 4h, 2d, 1w (or a template such as "{{ event.data.due }}")',
        'x-zh-CN': { title: '期限', description: '如 4h、2d、1w（或模板，如 "{{ event.data.due }}"）' },
        pattern: `${DURATION_PATTERN}|\\{\\{`,
      },
      assignee: {
        type: 'string',
        title: 'Assignee',
        description: 'Who does it (a staff id or email). Default: the customer’s owner.',
        'x-zh-CN': { title: '负责人', description: '由谁完成（员工 ID 或邮箱）。默认：客户的负责人。' },
        minLength: 1,
        maxLength: 200,
      },
      note: {
        type: 'string',
        title: 'Note',
        description: 'Details for whoever does it',
        'x-zh-CN': { title: '备注', description: '给执行人的说明' },
        maxLength: 2000,
      },
    },
    required: ['title', 'due'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { taskId: { type: 'string' }, assignee: { type: 'string' }, dueAt: { type: 'string' } },
    required: ['taskId', 'assignee', 'dueAt'],
  },
  run: async (ctx) => {
    const assignee = ctx.config.assignee || ctx.customer.owner;
    if (!assignee) {
      throw new StepError(
        'no_assignee',
        `customer ${ctx.customer.id} has no owner and the step names no assignee`,
        {
          kind: 'user',
          retryable: false,
        },
      );
    }
    const due = parseDuration(ctx.config.due);
    if (!due.ok) {
      throw new StepError('invalid_due', `"${ctx.config.due}" is not a duration such as 4h or 2d`, {
        kind: 'user',
        retryable: false,
      });
    }
    const { crypto, db } = ctx.services as PluginContext<TasksSettings>;
    const { row } = await createTask(db, {
      id: randomUUID(),
      key: ctx.idempotencyKey,
      customer_id: ctx.customer.id,
      assignee,
      title_enc: crypto.encrypt(ctx.config.title),
      note_enc: ctx.config.note ? crypto.encrypt(ctx.config.note) : null,
      due_at: new Date(ctx.now.getTime() + due.ms),
      created_at: ctx.now,
      workflow_id: ctx.run.workflowId,
      run_id: ctx.run.id,
    });
    return {
      status: 'done',
      output: { taskId: row.id, assignee: row.assignee, dueAt: row.due_at.toISOString() },
    };
  },
  preview: (ctx) => {
    const assignee = ctx.config.assignee || ctx.customer.owner || '(no owner)';
    const due = parseDuration(ctx.config.due);
    const dueAt = new Date(ctx.now.getTime() + (due.ok ? due.ms : 0)).toISOString();
    return {
      summary: `task for ${assignee}: "${ctx.config.title}", due in ${ctx.config.due}`,
      output: { taskId: 'preview', assignee, dueAt },
    };
  },
};

/** An event about a task, with the data every one of them carries. */
function taskEvent(type: string, title: Localized, description: Localized) {
  return {
    type,
    title,
    description,
    dataSchema: {
      type: 'object',
      properties: {
        taskId: { type: 'string' },
        assignee: { type: 'string' },
        dueAt: { type: 'string' },
        outcome: { type: ['string', 'null'] },
        by: { type: ['string', 'null'] },
        workflow: { type: ['string', 'null'] },
      },
    },
  };
}

/** Follow-up tasks for staff, from journeys; reminders when they are overdue. */
export default definePlugin<TasksSettings>({
  name: 'tasks',
  version: '2.0.0',
  title: { en: 'Follow-up tasks', 'zh-CN': '跟进任务' },
  description: {
    en: 'Tasks for the customer’s owner with due dates, completion events and overdue reminders.',
    'zh-CN': '为客户负责人创建带截止时间的任务；完成时发出事件，逾期时提醒。',
  },
  steps: [create],
  settings: settingsSchema,
  checkSettings: (settings, host) => {
    const problem =
      settings.reminderUrl &&
      localProviderProblem('TEND_TASK_REMINDER_URL', settings.reminderUrl, host.outboundAllow);
    return problem ? [problem] : [];
  },
  migrations: MIGRATIONS,
  requires: ['messaging'],
  events: [
    taskEvent(
      'task.completed',
      { en: 'Task completed', 'zh-CN': '任务已完成' },
      {
        en: 'A staff member completed a follow-up task (data.outcome says how it went)',
        'zh-CN': '员工完成了跟进任务（data.outcome 为结果）',
      },
    ),
    taskEvent(
      'task.snoozed',
      { en: 'Task snoozed', 'zh-CN': '任务已推迟' },
      {
        en: 'A staff member moved a task’s due date (data.dueAt is the new one)',
        'zh-CN': '员工推迟了任务的截止时间（data.dueAt 为新的截止时间）',
      },
    ),
    taskEvent(
      'task.reassigned',
      { en: 'Task reassigned', 'zh-CN': '任务已转派' },
      {
        en: 'A task was given to someone else (data.assignee)',
        'zh-CN': '任务已转派给其他人（data.assignee）',
      },
    ),
  ],
  routes: { api: { app: tasksApi, openapi: tasksDocs } },
  provides: { tasks: taskService },
  background: [
    { name: 'remind-overdue', everySeconds: 60, run: remindOverdue },
    { name: 'daily-digest', everySeconds: 300, run: sendDigests },
  ],
  privacy: {
    encrypted: [
      { table: 'tasks', key: 'id', columns: ['title_enc', 'note_enc', 'completion_note_enc'] },
      { table: 'task_changes', key: 'id', columns: ['reason_enc'] },
      { table: 'followups', key: 'id', columns: ['note_enc'] },
    ],
    async export(customerId, ctx) {
      const now = ctx.now();
      return {
        tasks: (await tasksOf(ctx.db, customerId, 100_000))
          .reverse()
          .map((t) => taskView(t, ctx.crypto, now)),
        followups: (await followupsOf(ctx.db, customerId, 100_000))
          .reverse()
          .map((f) => followupView(f, ctx.crypto)),
      };
    },
    erase: (from, to, ctx) => eraseTasks(ctx.db, from, to, ctx.crypto.encrypt(ERASED_TEXT), ctx.now()),
  },
  async timeline(customerId, limit, ctx) {
    const [tasks, followups] = await Promise.all([
      tasksOf(ctx.db, customerId, limit),
      followupsOf(ctx.db, customerId, limit),
    ]);
    return [...tasks.map((t) => taskEntry(t, ctx)), ...followups.map((f) => followupEntry(f, ctx))];
  },
});
