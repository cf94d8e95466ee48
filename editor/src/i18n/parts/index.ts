import { channelsTexts } from './channels.ts';
import { experimentsTexts } from './experiments.ts';
import { heldMessagesTexts } from './held-messages.ts';
import { importTexts } from './import.ts';
import { outboxFiltersTexts } from './outbox-filters.ts';
import { runFailuresTexts } from './run-failures.ts';
import { segmentsTexts } from './segments.ts';

/**
 * The editor's texts by feature, beside the core dictionary (en.ts, zh-cn.ts): a feature's
 * screens keep their texts in a part of their own, in both languages (`defineTexts` checks that
 * each has every key). Add a part here.
 */
export const PARTS = {
  channels: channelsTexts,
  experiments: experimentsTexts,
  heldMessages: heldMessagesTexts,
  import: importTexts,
  outboxFilters: outboxFiltersTexts,
  runFailures: runFailuresTexts,
  segments: segmentsTexts,
};
