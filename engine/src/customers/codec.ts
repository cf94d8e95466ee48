import type { FacetDefinition } from '@tend/plugin-sdk';
import { isTimeZone } from '@tend/plugin-sdk/time';
import type { Clock } from '../clock.ts';
import type { KeyRing } from '../privacy/key-ring.ts';
import { indexGrams } from '../privacy/name-grams.ts';
import type { CustomerRow, CustomerWrite } from '../store/customers.ts';
import { normalizeBirthday, normalizeEmail, normalizeLocale, normalizePhone } from './normalize.ts';
import type { ConsentRecord, CustomerInput, CustomerView, Predicted, Rfm } from './types.ts';

export type Encoded = { ok: true; write: CustomerWrite } | { ok: false; errors: string[] };

/**
 * Between what callers and journeys see (CustomerView, CustomerInput) and what is stored
 * (CustomerRow): personal fields are encrypted on the way in and decrypted on the way out, and
 * email and phone also get their lookup hashes.
 */
export class CustomerCodec {
  readonly #facets: readonly FacetDefinition[];

  /**
   * `now`: the engine's clock, which RFM recency (days since the last order) counts by; `facets`:
   * the plugins' summaries a customer carries (customer.loyalty…).
   */
  readonly keys: KeyRing;
  readonly now: Clock;

  constructor(keys: KeyRing, now: Clock, facets: readonly FacetDefinition[] = []) {
    this.keys = keys;
    this.now = now;
    this.#facets = facets;
  }

  /**
   * The customer as callers see it. Personal fields are decrypted when first read, not before:
   * most transitions never look at them (a step worker loads hundreds of customers a batch).
   */
  view(row: CustomerRow): CustomerView {
    const view = {
      id: row.id,
      email: null as string | null,
      phone: null as string | null,
      name: null as string | null,
      birthday: null as string | null,
      timezone: row.timezone,
      locale: row.locale,
      owner: row.owner,
      attributes: row.attributes ?? {},
      tags: row.tags ?? [],
      consent: row.consent ?? {},
      stage: row.stage,
      rfm: rfmOf(row, this.now),
      predicted: predictedOf(row),
      createdAt: row.created_at.toISOString(),
    } as CustomerView;
    // Plugins' facets (customer.loyalty…); one not stored yet shows its empty value.
    for (const facet of this.#facets) view[facet.name] = row.facets?.[facet.name] ?? facet.empty;
    // A field with nothing stored stays a plain null: no accessor, no closure.
    if (row.email_enc) this.#unsealOnRead(view, 'email', row.email_enc);
    if (row.phone_enc) this.#unsealOnRead(view, 'phone', row.phone_enc);
    if (row.name_enc) this.#unsealOnRead(view, 'name', row.name_enc);
    if (row.birthday_enc) this.#unsealOnRead(view, 'birthday', row.birthday_enc);
    return view;
  }

  #unsealOnRead(view: CustomerView, field: string, sealed: Buffer): void {
    const keys = this.keys;
    let plain: string | null | undefined;
    Object.defineProperty(view, field, {
      enumerable: true,
      configurable: true,
      get: () => {
        if (plain === undefined) plain = keys.decrypt(sealed);
        return plain;
      },
      set: (value: string | null) => {
        plain = value;
      },
    });
  }

  /** Checks and encrypts a change; every problem is reported, none stored. */
  encode(id: string, input: CustomerInput, source: string, now: Date): Encoded {
    const errors: string[] = [];
    const write: CustomerWrite = { id };
    const seal = (plain: string) => ({ enc: this.keys.encrypt(plain), hash: this.keys.lookup(plain) });
    if (input.email !== undefined) {
      const email = input.email === null ? null : normalizeEmail(input.email);
      if (input.email !== null && email === null)
        errors.push(`email "${input.email}" is not an email address`);
      else write.email = email === null ? null : seal(email);
    }
    if (input.phone !== undefined) {
      const phone = input.phone === null ? null : normalizePhone(input.phone);
      if (input.phone !== null && phone === null)
        errors.push(`phone "${input.phone}" is not a phone number (digits, optional +)`);
      else write.phone = phone === null ? null : seal(phone);
    }
    if (input.name !== undefined)
      write.name =
        input.name === null || input.name === ''
          ? null
          : { enc: this.keys.encrypt(input.name), grams: this.keys.gramHashes(indexGrams(input.name)) };
    if (input.birthday !== undefined) {
      const b = input.birthday === null ? null : normalizeBirthday(input.birthday);
      if (input.birthday !== null && b === null)
        errors.push(`birthday "${input.birthday}" is not a date (YYYY-MM-DD or --MM-DD)`);
      else write.birthday = b === null ? null : { enc: this.keys.encrypt(b.value), monthDay: b.monthDay };
    }
    if (input.timezone !== undefined) {
      if (input.timezone !== null && !isTimeZone(input.timezone)) {
        errors.push(`timezone "${input.timezone}" is not an IANA time zone such as Asia/Shanghai`);
      } else write.timezone = input.timezone;
    }
    if (input.locale !== undefined) {
      const locale = input.locale === null ? null : normalizeLocale(input.locale);
      if (input.locale !== null && locale === null)
        errors.push(`locale "${input.locale}" is not a language tag such as zh-CN`);
      else write.locale = locale;
    }
    if (input.owner !== undefined) write.owner = input.owner;
    if (input.attributes !== undefined) write.attributes = input.attributes;
    if (input.tags !== undefined) write.tags = [...new Set(input.tags)];
    if (input.consent !== undefined) {
      const consent: Record<string, ConsentRecord> = {};
      for (const [channel, value] of Object.entries(input.consent)) {
        const status = typeof value === 'string' ? value : value.status;
        const from = typeof value === 'string' ? source : (value.source ?? source);
        consent[channel] = { status, source: from, at: now.toISOString() };
      }
      write.consent = consent;
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, write };
  }
}

function rfmOf(row: CustomerRow, now: Clock): Rfm | null {
  if (row.orders === null || row.orders === undefined) return null;
  const score = row.r !== null && row.f !== null && row.m !== null ? `${row.r}${row.f}${row.m}` : null;
  return {
    r: row.r,
    f: row.f,
    m: row.m,
    score,
    segment: row.segment,
    abc: row.abc,
    orders: row.orders,
    revenue: Number(row.revenue ?? 0),
    firstOrderAt: row.first_order_at?.toISOString() ?? null,
    lastOrderAt: row.last_order_at?.toISOString() ?? null,
    recencyDays: row.last_order_at
      ? Math.floor((now().getTime() - row.last_order_at.getTime()) / 86_400_000)
      : null,
    orders30: row.orders_30d ?? 0,
    orders90: row.orders_90d ?? 0,
    orders365: row.orders_365d ?? 0,
    revenue90: Number(row.revenue_90d ?? 0),
    revenue365: Number(row.revenue_365d ?? 0),
  };
}

function predictedOf(row: CustomerRow): Predicted | null {
  if (row.p_alive === null || row.p_alive === undefined || !row.fitted_at) return null;
  return {
    churn: 1 - row.p_alive,
    aliveProbability: row.p_alive,
    orders90d: row.expected_orders_90d ?? 0,
    value: Number(row.predicted_value ?? 0),
    at: row.fitted_at.toISOString(),
  };
}
