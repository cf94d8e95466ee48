/** Events that record segment membership changes; `trigger: { segment: id }` starts on the first. */
export const SEGMENT_ENTERED = 'segment.entered';
export const SEGMENT_LEFT = 'segment.left';
/** The event a lifecycle stage change records; `trigger: { stage: name }` starts on it. */
export const STAGE_CHANGED = 'customer.stage_changed';
/** Event types starting with this are Tend's own: workflows and integrations may not send them. */
export const RESERVED_EVENT_PREFIX = 'tend.';
/**
 * The event a nightly prediction refresh records for a customer it moved into the condition of
 * a published `predicted:` trigger; `trigger: { predicted: … }` starts on it.
 */
export const PREDICTED = 'customer.predicted';
