/** Events that record segment membership changes; `trigger: { segment: id }` starts on the first. */
export const SEGMENT_ENTERED = 'segment.entered';
export const SEGMENT_LEFT = 'segment.left';
