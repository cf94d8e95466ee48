import type { JsonSchema } from './json-schema.ts';
import type { Localized } from './text.ts';

/**
 * An event type a plugin emits for customers (`survey.answered`, `task.completed`), with the
 * shape of its `data`. Journeys wait for it and the editor offers it by name.
 */
export interface EventDefinition {
  /** `<plugin>.<what happened>` by convention, e.g. `complaint.received`. */
  type: string;
  title: Localized;
  description?: Localized;
  /** JSON Schema of the event's `data`. */
  dataSchema: JsonSchema;
}
