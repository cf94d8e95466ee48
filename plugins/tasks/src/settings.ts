import type { JsonSchema } from '@tend/plugin-sdk';

export interface TasksSettings {
  reminderUrl?: string;
  reminderSecret?: string;
  /** The hour (in TEND_TIMEZONE) from which each person's daily digest goes out. */
  digestHour: number;
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
    digestHour: {
      type: 'integer',
      env: 'TEND_TASK_DIGEST_HOUR',
      minimum: 0,
      maximum: 23,
      default: 8,
      title: 'Daily digest hour',
      description:
        'From this hour (in TEND_TIMEZONE) everyone with tasks overdue or due today gets one digest a day, the way reminders go',
    },
  },
  dependencies: { reminderUrl: ['reminderSecret'] },
  additionalProperties: false,
};
