import type { PluginContext, TimelineEntry } from '@tend/plugin-sdk';
import type { FollowupRow, TaskRow } from './tasks-store.ts';

const CHANNEL = {
  call: { en: 'call', 'zh-CN': '电话回访' },
  visit: { en: 'visit', 'zh-CN': '上门回访' },
  message: { en: 'message', 'zh-CN': '消息回访' },
} as const;

/** A task on the customer's timeline, at the time it was made. */
export function taskEntry(t: TaskRow, ctx: PluginContext): TimelineEntry {
  const title = ctx.crypto.decrypt(t.title_enc);
  return {
    at: t.created_at,
    kind: 'task',
    type: t.status,
    summary: { en: `task for ${t.assignee}: ${title}`, 'zh-CN': `${t.assignee} 的任务：${title}` },
    detail: {
      id: t.id,
      title,
      assignee: t.assignee,
      status: t.status,
      dueAt: t.due_at,
      completedAt: t.completed_at,
      outcome: t.outcome,
      completionNote: t.completion_note_enc ? ctx.crypto.decrypt(t.completion_note_enc) : null,
      workflow: t.workflow_id,
      run: t.run_id,
    },
  };
}

/** A follow-up on the customer's timeline: who, how, the outcome and what was said. */
export function followupEntry(f: FollowupRow, ctx: PluginContext): TimelineEntry {
  const note = f.note_enc ? ctx.crypto.decrypt(f.note_enc) : null;
  const tail = note ? ` — ${note}` : '';
  return {
    at: f.at,
    kind: 'followup',
    type: f.channel,
    summary: {
      en: `${CHANNEL[f.channel].en} by ${f.by}: ${f.outcome}${tail}`,
      'zh-CN': `${f.by} ${CHANNEL[f.channel]['zh-CN']}：${f.outcome}${tail}`,
    },
    detail: { id: f.id, by: f.by, channel: f.channel, outcome: f.outcome, note, nextTask: f.next_task_id },
  };
}
