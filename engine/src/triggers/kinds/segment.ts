import { SEGMENT_ENTERED } from '../engine-events.ts';
import type { TriggerKindModule } from '../types.ts';

/** `trigger: { segment: vip }`: a run starts when a customer enters the saved segment. */
export const segmentKind: TriggerKindModule<'segment'> = {
  kind: 'segment',
  repeats: false,
  check: () => [],
  describe: (t) => `the customer entering segment "${t.segment}"`,
  starts: {
    by: 'event',
    eventType: () => SEGMENT_ENTERED,
    mismatch: (t, data) =>
      data.segment === t.segment
        ? null
        : `it was about segment "${String(data.segment)}", not "${t.segment}"`,
  },
};
