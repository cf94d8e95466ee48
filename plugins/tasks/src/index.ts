import { DURATION_PATTERN, definePlugin, durationMs, type StepDefinition, StepError } from '@tend/plugin-sdk';
import { remindOverdue } from './reminders.ts';

interface CreateConfig {
  title: string;
  due: string;
  assignee?: string;
  note?: string;
}

const create: StepDefinition<CreateConfig> = {
  name: 'create',
  title: 'Create a follow-up task',
  description:
    'Creates a task for the customer’s owner (or someone you name), due after a while. Staff see it in their task list; completing it sends the event task.completed, and an overdue task reminds its assignee.',
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      title: {
        type: 'string',
        title: 'Title',
        description: 'May use the customer’s fields, e.g. "Call {{ customer.name }} about their order"',
        minLength: 1,
        maxLength: 300,
      },
      due: {
        type: 'string',
        title: 'Due in',
        description: 'e.g. 4h, 2d, 1w (or a template such as "{{ event.data.due }}")',
        pattern: `${DURATION_PATTERN}|\\{\\{`,
      },
      assignee: {
        type: 'string',
        title: 'Assignee',
        description: 'Who does it (a staff id or email). Default: the customer’s owner.',
        minLength: 1,
        maxLength: 200,
      },
      note: { type: 'string', title: 'Note', description: 'Details for whoever does it', maxLength: 2000 },
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
    const due = durationMs(ctx.config.due);
    if (due === null) {
      throw new StepError('invalid_due', `"${ctx.config.due}" is not a duration such as 4h or 2d`, {
        kind: 'user',
        retryable: false,
      });
    }
    const { task } = await ctx.services.tasks.create(
      {
        key: ctx.idempotencyKey,
        customerId: ctx.customer.id,
        assignee,
        title: ctx.config.title,
        note: ctx.config.note ?? null,
        dueAt: new Date(ctx.now.getTime() + due),
        workflowId: ctx.run.workflowId,
        runId: ctx.run.id,
      },
      ctx.now,
    );
    return { status: 'done', output: { taskId: task.id, assignee, dueAt: task.dueAt.toISOString() } };
  },
  preview: (ctx) => {
    const assignee = ctx.config.assignee || ctx.customer.owner || '(no owner)';
    const dueAt = new Date(ctx.now.getTime() + (durationMs(ctx.config.due) ?? 0)).toISOString();
    return {
      summary: `task for ${assignee}: "${ctx.config.title}", due in ${ctx.config.due}`,
      output: { taskId: 'preview', assignee, dueAt },
    };
  },
};

/** Follow-up tasks for staff, from journeys; reminders when they are overdue. */
export default definePlugin({
  name: 'tasks',
  version: '1.0.0',
  title: 'Follow-up tasks',
  description: 'Tasks for the customer’s owner with due dates, completion events and overdue reminders.',
  steps: [create],
  background: [{ name: 'remind-overdue', everySeconds: 60, run: remindOverdue }],
});
