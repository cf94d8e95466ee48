import { STAGE_CHANGED } from '../engine-events.ts';
import type { TriggerKindModule } from '../types.ts';

/** `trigger: { stage: at_risk }`: a run starts when a customer's lifecycle stage becomes this one. */
export const stageKind: TriggerKindModule<'stage'> = {
  kind: 'stage',
  repeats: false,
  check: () => [],
  describe: (t) => `the customer reaching the "${t.stage}" stage`,
  starts: {
    by: 'event',
    eventType: () => STAGE_CHANGED,
    mismatch: (t, data) =>
      data.to === t.stage ? null : `it moved the customer to "${String(data.to)}", not "${t.stage}"`,
  },
};
