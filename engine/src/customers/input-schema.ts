/** JSON Schema of a customer change (PUT /api/customers/:id, batch items, imports). */
const consentValue = {
  anyOf: [
    { type: 'string', enum: ['granted', 'withdrawn'] },
    {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['granted', 'withdrawn'] },
        source: { type: 'string', maxLength: 100 },
      },
      required: ['status'],
      additionalProperties: false,
    },
  ],
};

const nullableString = (maxLength: number) => ({ type: ['string', 'null'], maxLength });

export const customerInputProperties = {
  email: nullableString(320),
  phone: nullableString(40),
  name: nullableString(200),
  birthday: nullableString(10),
  timezone: nullableString(64),
  locale: nullableString(35),
  owner: nullableString(200),
  attributes: { type: 'object' },
  tags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 500 },
  consent: {
    type: 'object',
    additionalProperties: consentValue,
    propertyNames: { pattern: '^[a-z][a-z0-9_-]{0,31}$' },
  },
} as const;

export const customerInputSchema = {
  type: 'object',
  properties: customerInputProperties,
  additionalProperties: false,
} as const;

export const customerBatchItemSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\s/]+$' },
    ...customerInputProperties,
  },
  required: ['id'],
  additionalProperties: false,
} as const;
