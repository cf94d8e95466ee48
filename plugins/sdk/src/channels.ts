/**
 * The channels Tend's messaging sends on, in the order screens list them. One list for the send
 * step's choices, the outbox filter, and the consent a staff member records on a profile.
 */
export const MESSAGE_CHANNELS = ['email', 'sms', 'webhook', 'wecom', 'wechat'] as const;

/** A channel a customer may consent to: the message channels, and push (asked by apps). */
export const CONSENT_CHANNELS = [...MESSAGE_CHANNELS, 'push'] as const;
