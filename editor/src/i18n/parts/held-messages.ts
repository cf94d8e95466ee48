import { defineTexts } from './define-texts.ts';

/** The outbox's status filter and the decisions on messages whose delivery is uncertain. */
export const heldMessagesTexts = defineTexts({
  en: {
    'outbox.anyStatus': 'Any status',
    'outbox.statusFilter': 'Status',
    'outbox.uncertainHelp':
      'Tend was handing this message to the provider when it stopped: it may have arrived. Send it again (same Message-ID, so a receiver can drop a copy) or give it up.',
    'outbox.release': 'Send again',
    'outbox.drop': 'Give up',
    'outbox.decided': 'Done: {status}',
    'outbox.decisionFailed': 'Could not do that: {message}',
  },
  'zh-CN': {
    'outbox.anyStatus': '全部状态',
    'outbox.statusFilter': '状态',
    'outbox.uncertainHelp':
      'Tend 在把这条消息交给服务商时中断了：它可能已经送达。可以重新发送（同一个 Message-ID，收件方可以丢弃重复的一份），或放弃发送。',
    'outbox.release': '重新发送',
    'outbox.drop': '放弃',
    'outbox.decided': '已处理：{status}',
    'outbox.decisionFailed': '无法完成：{message}',
  },
});
