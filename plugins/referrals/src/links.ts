import type { PluginContext } from '@tend/plugin-sdk';
import { displayCode } from './codes.ts';

/** What a customer shares: their code as people read it and the link that carries it. */
export function shareable(ctx: PluginContext, code: string) {
  return { code, display: displayCode(code), link: `${ctx.host.publicUrl()}/r/${displayCode(code)}` };
}
