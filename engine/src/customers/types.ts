import type { CustomerPredicted, CustomerRfm } from '@tend/plugin-sdk';
import type { ConsentRecord } from '../store/customers.ts';
/** A channel a customer can be reached on (and consent to). */
export type Channel = 'email' | 'sms' | 'webhook' | 'push' | string;

export type { ConsentRecord } from '../store/customers.ts';

/** A customer as journeys, plugins and the API see it (personal fields decrypted). */
export interface CustomerView {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  /** `YYYY-MM-DD`, or `--MM-DD` when the year is unknown. */
  birthday: string | null;
  timezone: string | null;
  locale: string | null;
  /** The staff member who looks after this customer. */
  owner: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  consent: Record<Channel, ConsentRecord>;
  stage: string | null;
  /** Purchase metrics, RFM scores and segment, ABC class; null before the first order. */
  rfm: Rfm | null;
  /** The purchase model's predictions (churn, value…); null before the first fit that saw an order. */
  predicted: Predicted | null;
  createdAt: string;
  [field: string]: unknown;
}

/** RFM and ABC of a customer (the plugin contract shares this shape). */
export type Rfm = CustomerRfm;

/** The purchase model's predictions of a customer (the plugin contract shares this shape). */
export type Predicted = CustomerPredicted;

/** What a caller may set on a customer (PUT /api/customers/:id, imports). */
export interface CustomerInput {
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  birthday?: string | null;
  timezone?: string | null;
  locale?: string | null;
  owner?: string | null;
  attributes?: Record<string, unknown>;
  tags?: string[];
  consent?: Record<Channel, 'granted' | 'withdrawn' | { status: 'granted' | 'withdrawn'; source?: string }>;
}
