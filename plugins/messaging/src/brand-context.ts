import type { PluginContext } from '@tend/plugin-sdk';
import { type Brand, EMPTY_BRAND, type MessagingDatabase, readBrand } from './brand-store.ts';
import type { MessagingSettings } from './settings.ts';

/**
 * A brand saved in the editor reaches messages within this long in every engine process: each
 * process reads it at most once per period instead of once per message.
 */
export const BRAND_FRESH_MS = 5_000;

type Ctx = PluginContext<MessagingSettings, MessagingDatabase>;
// Keyed by the plugin's settings object: the host makes a context per use, but one settings object
// per engine (so two engines in one process keep their own brands).
const cache = new WeakMap<object, { at: number; brand: Promise<Brand> }>();

/**
 * The brand as saved (or its defaults), read again once it is older than BRAND_FRESH_MS. Elapsed
 * time of this process (monotonic), not the engine's clock: how fresh a copy is, not a decision
 * by time (a test clock that stands still must not keep an old brand).
 */
export function brandOf(ctx: Ctx): Promise<Brand> {
  const now = performance.now();
  const hit = cache.get(ctx.settings);
  if (hit && now - hit.at < BRAND_FRESH_MS) return hit.brand;
  const brand = currentBrand(ctx);
  cache.set(ctx.settings, { at: now, brand });
  brand.catch(() => cache.delete(ctx.settings));
  return brand;
}

/** After a save: this process reads the brand again at its next message. */
export function forgetBrand(ctx: Ctx): void {
  cache.delete(ctx.settings);
}

/** The display name of `TEND_MAIL_FROM` ("Tend" of `Tend <no-reply@…>`). */
export function mailFromName(mailFrom: string): string {
  return /^\s*"?([^"<]*?)"?\s*</.exec(mailFrom)?.[1]?.trim() ?? '';
}

/** The brand as saved, or, before anyone saved one, empty but for the sender's name. */
export async function currentBrand(ctx: Ctx) {
  return (
    (await readBrand(ctx.db)) ?? {
      ...EMPTY_BRAND,
      senderName: mailFromName(ctx.settings.mailFrom),
      updatedAt: null,
    }
  );
}

/** What templates read as `brand`: the texts in the message's language (the other one if empty). */
export function brandFor(brand: Brand, locale: string | null) {
  const zh = (locale ?? '').toLowerCase().startsWith('zh');
  const pick = (t: Brand['name']) => (zh ? t['zh-CN'] || t.en : t.en || t['zh-CN']);
  return {
    name: pick(brand.name) || brand.senderName,
    logoUrl: brand.logoUrl,
    address: pick(brand.address),
    servicePhone: brand.servicePhone,
    serviceEmail: brand.serviceEmail,
    websiteUrl: brand.websiteUrl.replace(/\/+$/, ''),
    senderName: brand.senderName,
  };
}

/** `TEND_MAIL_FROM` with the brand's sender name in front of its address. */
export function fromHeader(mailFrom: string, senderName: string): string {
  if (!senderName) return mailFrom;
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `"${senderName}" <${address}>`;
}

/**
 * What templates read as `owner`: the customer's owner by display name, or null when the owner
 * is nobody with a name (a template then says "our team"; an email address is never a name).
 */
export async function ownerFor(ctx: Ctx, owner: unknown): Promise<{ name: string } | null> {
  if (typeof owner !== 'string' || owner === '') return null;
  const name = (await ctx.people.names([owner])).get(owner);
  return name ? { name } : null;
}
