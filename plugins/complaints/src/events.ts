import type { EventDefinition, Localized } from '@tend/plugin-sdk';

/** An event about a complaint, with the data every one of them carries. */
function complaintEvent(
  type: string,
  title: Localized,
  description: Localized,
  extra: Record<string, unknown> = {},
): EventDefinition {
  return {
    type,
    title,
    description,
    dataSchema: {
      type: 'object',
      properties: {
        complaintId: { type: 'string' },
        category: { type: 'string' },
        severity: { type: 'string' },
        channel: { type: 'string' },
        status: { type: 'string' },
        owner: { type: 'string' },
        level: { type: 'integer' },
        respondBy: { type: 'string' },
        resolveBy: { type: 'string' },
        ...extra,
      },
    },
  };
}

export const COMPLAINT_EVENTS: EventDefinition[] = [
  complaintEvent(
    'complaint.received',
    { en: 'Complaint received', 'zh-CN': '收到投诉' },
    {
      en: 'A complaint came in (form, API, staff or another system’s event)',
      'zh-CN': '收到一条投诉（表单、API、员工或其他系统的事件）',
    },
  ),
  complaintEvent(
    'complaint.acknowledged',
    { en: 'Complaint acknowledged', 'zh-CN': '投诉已受理' },
    { en: 'Its owner took the complaint on (the first response)', 'zh-CN': '负责人已受理投诉（首次响应）' },
    { by: { type: 'string' } },
  ),
  complaintEvent(
    'complaint.resolved',
    { en: 'Complaint resolved', 'zh-CN': '投诉已解决' },
    {
      en: 'The complaint was resolved, with a note on what was done',
      'zh-CN': '投诉已解决，并记录了处理说明',
    },
    { by: { type: 'string' } },
  ),
  complaintEvent(
    'complaint.closed',
    { en: 'Complaint closed', 'zh-CN': '投诉已关闭' },
    { en: 'A resolved complaint was closed', 'zh-CN': '已解决的投诉被关闭' },
    { by: { type: 'string' } },
  ),
  complaintEvent(
    'complaint.reopened',
    { en: 'Complaint reopened', 'zh-CN': '投诉已重新打开' },
    {
      en: 'A resolved or closed complaint was opened again, with a new resolution deadline',
      'zh-CN': '已解决或已关闭的投诉被重新打开，并有新的解决期限',
    },
    { by: { type: 'string' } },
  ),
  complaintEvent(
    'complaint.overdue',
    { en: 'Complaint overdue', 'zh-CN': '投诉已逾期' },
    {
      en: 'A deadline passed (data.deadline: respond or resolve)',
      'zh-CN': '期限已过（data.deadline：respond 首次响应，resolve 解决）',
    },
    { deadline: { enum: ['respond', 'resolve'] } },
  ),
  complaintEvent(
    'complaint.escalated',
    { en: 'Complaint escalated', 'zh-CN': '投诉已升级' },
    {
      en: 'The complaint went to the next level (data.owner; data.from had it)',
      'zh-CN': '投诉已交给上一级（data.owner；原负责人为 data.from）',
    },
    { from: { type: 'string' } },
  ),
];
