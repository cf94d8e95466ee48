import type { JsonSchema } from '@tend/plugin-sdk';

export interface TasksSettings {
  reminderUrl?: string;
  reminderSecret?: string;
}

export const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    reminderUrl: {
      type: 'string',
      env: 'TEND_TASK_REMINDER_URL',
      pattern: '^https?://',
      title: 'Reminder webhook',
      description:
        'Where overdue-task reminders are posted (signed JSON); unset: they are emailed to the assignee',
    },
    reminderSecret: {
      type: 'string',
      env: 'TEND_TASK_REMINDER_SECRET',
      minLength: 16,
      title: 'Reminder secret',
      description: 'The HMAC key reminders are signed with',
    },
  },
  dependencies: { reminderUrl: ['reminderSecret'] },
  additionalProperties: false,
};
