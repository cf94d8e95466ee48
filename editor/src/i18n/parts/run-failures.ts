import { defineTexts } from './define-texts.ts';

/** Runs that failed at run time, where people look: the live view and the journeys list. */
export const runFailuresTexts = defineTexts({
  en: {
    'live.failures': 'Failed runs',
    'live.failedIn': 'In state',
    'live.error': 'Error',
    'list.failedRuns': '{count} failed',
    'list.failedRunsHelp': 'Runs of this journey that failed: open its live view for where and why',
  },
  'zh-CN': {
    'live.failures': '失败的运行',
    'live.failedIn': '所在状态',
    'live.error': '错误',
    'list.failedRuns': '{count} 个失败',
    'list.failedRunsHelp': '该旅程中失败的运行：打开实时视图查看失败的位置和原因',
  },
});
