/** What a plugin sees of a customer (personal fields decrypted by the engine). */
export interface StepCustomer {
  id: string;
  attributes: Record<string, unknown>;
  tags: string[];
  timezone: string | null;
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  locale?: string | null;
  /** The staff member who looks after this customer. */
  owner?: string | null;
  consent?: Record<string, { status: 'granted' | 'withdrawn'; source: string; at: string }>;
  stage?: string | null;
  rfm?: CustomerRfm | null;
  predicted?: CustomerPredicted | null;
  /** Plugins' facets (`customer.loyalty`, say): each a small summary its plugin keeps current. */
  [facet: string]: unknown;
}

/**
 * A customer's profile fields, as the API takes them (`PUT /api/customers/:id`) and imports map
 * columns to them; a plugin's facet may not take one of these names.
 */
export const PROFILE_FIELDS = [
  'id',
  'email',
  'phone',
  'name',
  'birthday',
  'timezone',
  'locale',
  'owner',
] as const;

/** The named RFM segments, best first (how the engine names a customer's `rfm.segment`). */
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential-loyalists',
  'new',
  'promising',
  'need-attention',
  'about-to-sleep',
  'at-risk',
  'cant-lose',
  'hibernating',
  'lost',
] as const;

/** A customer's RFM scores and segment, ABC class and order aggregates. */
export interface CustomerRfm {
  /** Scores 1–5 (5 best) and as one string, e.g. "545". */
  r: number | null;
  f: number | null;
  m: number | null;
  score: string | null;
  /** One of RFM_SEGMENTS. */
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

/**
 * What the nightly purchase model (BG/NBD with Gamma-Gamma) predicts of a buyer; null before
 * their first order or the first fit after it.
 */
export interface CustomerPredicted {
  /** Probability (0–1) that the customer has stopped buying: 1 − aliveProbability. */
  churn: number;
  /** Probability (0–1) that the customer is still active. */
  aliveProbability: number;
  /** Expected orders in the next 90 days. */
  orders90d: number;
  /** Predicted value of the next 12 months' orders, discounted at 10 % a year. */
  value: number;
  /** When the model made these predictions. */
  at: string;
}
