import { RESERVED_EVENT_PREFIX } from '../engine-events.ts';
import type { TriggerKindModule } from '../types.ts';

/** `trigger: { event: order.placed }`: a run starts on each event of that type. */
export const eventKind: TriggerKindModule<'event'> = {
  kind: 'event',
  repeats: false,
  check: (t) =>
    t.event.startsWith(RESERVED_EVENT_PREFIX)
      ? [{ path: ['event'], message: `event types starting with "${RESERVED_EVENT_PREFIX}" are Tend's own` }]
      : [],
  describe: (t) => `a ${t.event} event${t.where ? ` where ${t.where}` : ''}`,
  starts: { by: 'event', eventType: (t) => t.event, mismatch: () => null },
};
