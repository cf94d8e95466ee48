/** A channel a customer can be reached on (and consent to). */
export type Channel = 'email' | 'sms' | 'webhook' | 'push' | string;

export interface ConsentRecord {
  status: 'granted' | 'withdrawn';
  /** Where the decision came from: a form, an import, an unsubscribe link… */
  source: string;
  at: string;
}

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
  createdAt: string;
  [field: string]: unknown;
}

export interface Rfm {
  /** Scores 1–5 (5 best) and as one string, e.g. "545". */
  r: number | null;
  f: number | null;
  m: number | null;
  score: string | null;
  /** champions, loyal, potential-loyalists, new, promising, need-attention, about-to-sleep,
   * at-risk, cant-lose, hibernating, lost. */
  segment: string | null;
  /** A, B or C by share of revenue. */
  abc: string | null;
  orders: number;
  revenue: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  /** Days since the last order, as of the moment the customer is looked at. */
  recencyDays: number | null;
  orders30: number;
  orders90: number;
  orders365: number;
  revenue90: number;
  revenue365: number;
}

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
