import type { JsonSchema, RouteParameter, RouteResponse } from '@tend/plugin-sdk';

/*
 * Pieces the engine's route descriptions share. Answers are described in outline: the fields a
 * caller relies on; objects stay open to fields added later.
 */

/** An object with these properties (all present in the answer unless `optional` names them). */
export function object(properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
  };
}

export const string: JsonSchema = { type: 'string' };
export const nullableString: JsonSchema = { type: ['string', 'null'] };
export const integer: JsonSchema = { type: 'integer' };
export const boolean: JsonSchema = { type: 'boolean' };
export const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
export const anyObject: JsonSchema = { type: 'object' };
export const listOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

export const ok = (description: string, schema: JsonSchema = anyObject): Record<number, RouteResponse> => ({
  200: { description, schema },
});

/** A page size from 1 to `max`. */
export const limit = (fallback: number, max: number): RouteParameter => ({
  description: `how many (default ${fallback})`,
  schema: { type: 'integer', minimum: 1, maximum: max },
});

/** `?partial=true` of the batch routes. */
export const partial: RouteParameter = {
  description:
    '`true`: store the good items and name each refused one with its reason (imports); else one bad item refuses the batch',
  schema: { type: 'string', enum: ['true', 'false'] },
};

/** Items of a partial batch that were refused: their place in the array and why. */
export const rejected: JsonSchema = listOf(object({ index: integer, message: string }));

/** A customer as the API shows it (customers/codec.ts#view), in outline. */
export const customerView: JsonSchema = object(
  {
    id: string,
    email: nullableString,
    phone: nullableString,
    name: nullableString,
    stage: nullableString,
    tags: listOf(string),
    attributes: anyObject,
    consent: anyObject,
  },
  ['stage', 'tags', 'attributes', 'consent'],
);

export const workflowId: RouteParameter = {
  description: 'the journey’s id (its file’s `id:`)',
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
};
export const customerId: RouteParameter = {
  description: 'the customer’s external id (1 to 200 characters, no spaces or slashes)',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};
export const uuid: RouteParameter = { schema: { type: 'string', format: 'uuid' } };
