import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { schemaProblem } from './schema-problem.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const problems = (schema: object, value: unknown) => {
  const check = ajv.compile(schema);
  check(value);
  return (check.errors ?? []).map(schemaProblem).filter((m) => m !== null);
};

describe('schemaProblem', () => {
  it('says what is wrong in words, never in JSON Schema terms', () => {
    const schema = {
      type: 'object',
      required: ['channel'],
      additionalProperties: false,
      properties: {
        channel: { enum: ['email', 'sms'] },
        template: { type: 'string', minLength: 1, maxLength: 5 },
        count: { type: 'integer', minimum: 1 },
        tags: { type: 'array', maxItems: 1 },
      },
      if: { properties: { channel: { const: 'email' } } },
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema's if/then, not a promise
      then: { required: ['template'] },
    };
    expect(problems(schema, { channel: 'email', count: 0, tags: [1, 2], extra: true })).toEqual([
      '"template" is required',
      '"extra" is not a field here',
      'must be at least 1',
      'must list at most 1 items',
    ]);
    expect(problems(schema, { channel: 'fax', template: 'far too long', count: 1.5 })).toEqual([
      'must be one of "email", "sms"',
      'must be at most 5 characters long',
      'must be a whole number',
    ]);
    const all = [
      ...problems(schema, {}),
      ...problems({ oneOf: [{ type: 'string' }, { type: 'number' }] }, true),
    ].join(' ');
    for (const raw of ['must match', 'must NOT', 'schema', 'allowed values', 'must have required'])
      expect(all).not.toContain(raw);
  });
});
