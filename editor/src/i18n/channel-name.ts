import type { MessageKey, Translate } from './i18n.tsx';

/** A channel's name in the viewer's language; a channel some plugin added keeps its id. */
export function channelName(t: Translate, channel: string): string {
  const key = `channel.${channel}` as MessageKey;
  const named = t(key);
  return named === key ? channel : named;
}
