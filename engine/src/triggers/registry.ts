import { dateKind } from './kinds/date.ts';
import { eventKind } from './kinds/event.ts';
import { lunarKind } from './kinds/lunar.ts';
import { predictedKind } from './kinds/predicted.ts';
import { scheduleKind } from './kinds/schedule.ts';
import { segmentKind } from './kinds/segment.ts';
import { stageKind } from './kinds/stage.ts';
import {
  TRIGGER_KINDS,
  type Trigger,
  type TriggerDef,
  type TriggerKind,
  type TriggerKindModule,
} from './types.ts';

/** Every kind of trigger. A new kind: a module in kinds/, its YAML in definitions/schema.ts, here. */
export const TRIGGER_KIND_MODULES: { [K in TriggerKind]: TriggerKindModule<K> } = {
  event: eventKind,
  segment: segmentKind,
  stage: stageKind,
  schedule: scheduleKind,
  date: dateKind,
  lunar: lunarKind,
  predicted: predictedKind,
};

/** The kinds a trigger document names (a valid one names exactly one). */
export function documentKinds(def: TriggerDef): TriggerKind[] {
  return TRIGGER_KINDS.filter((k) => def[k] !== undefined);
}

/** The model of a trigger document, or null unless it names exactly one kind. */
export function toTrigger(def: TriggerDef): Trigger | null {
  const kinds = documentKinds(def);
  if (kinds.length !== 1) return null;
  const kind = kinds[0] as TriggerKind;
  const common = {
    ...(def.where !== undefined ? { where: def.where } : {}),
    ...(def.key !== undefined ? { key: def.key } : {}),
  };
  return { kind, [kind]: def[kind], ...common } as Trigger;
}

/**
 * A trigger's kind module. The cast widens the one kind's module to take any trigger; it is only
 * ever called with this trigger, whose kind it is.
 */
export function moduleOf(trigger: Trigger): TriggerKindModule<TriggerKind> {
  return TRIGGER_KIND_MODULES[trigger.kind] as unknown as TriggerKindModule<TriggerKind>;
}

/** The event type that starts runs of this trigger, or null for time triggers. */
export function startingEvent(trigger: Trigger): string | null {
  const { starts } = moduleOf(trigger);
  return starts.by === 'event' ? starts.eventType(trigger) : null;
}

/** Why an event of the starting type does not start a run, by the kind's own rule, or null. */
export function kindMismatch(trigger: Trigger, data: Record<string, unknown>): string | null {
  const { starts } = moduleOf(trigger);
  return starts.by === 'event' ? starts.mismatch(trigger, data) : null;
}

/** The trigger in words, for "starts on …". */
export function describeTrigger(trigger: Trigger): string {
  return moduleOf(trigger).describe(trigger);
}

/** The zone a time trigger fires in for everyone (a schedule's `tz`), or null: each customer's. */
export function fixedZone(trigger: Trigger): string | null {
  const { starts } = moduleOf(trigger);
  return starts.by === 'time' ? starts.fixedZone(trigger) : null;
}

/** Whether a time trigger's occurrences depend on the last one done (schedules catch up from it). */
export function catchesUp(trigger: Trigger): boolean {
  const { starts } = moduleOf(trigger);
  return starts.by === 'time' && starts.catchesUp;
}
