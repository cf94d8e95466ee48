import type { ErrorObject } from 'ajv';

/**
 * What a JSON Schema error means, in words for people, without its location (the caller says
 * where): never ajv's own wording ("must match \"then\" schema", "must NOT have more than…").
 * `null` for errors that only repeat another (a failed `if`/`then` beside the error inside it).
 */
export function schemaProblem(e: ErrorObject): string | null {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
    case 'then':
    case 'else':
      return null;
    case 'required':
      return `"${p.missingProperty}" is required`;
    case 'dependentRequired':
    case 'dependencies':
      return `"${p.missingProperty}" is required with "${p.property}"`;
    case 'additionalProperties':
      return `"${p.additionalProperty}" is not a field here`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `must be ${article(String(p.type))}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long`;
    case 'maxLength':
      return `must be at most ${p.limit} characters long`;
    case 'minItems':
      return p.limit === 1 ? 'must list at least one item' : `must list at least ${p.limit} items`;
    case 'maxItems':
      return `must list at most ${p.limit} items`;
    case 'minProperties':
      return `must have at least ${p.limit} fields`;
    case 'maxProperties':
      return `must have at most ${p.limit} fields`;
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const words = {
        minimum: 'at least',
        exclusiveMinimum: 'more than',
        maximum: 'at most',
        exclusiveMaximum: 'less than',
      };
      return `must be ${words[e.keyword]} ${p.limit}`;
    }
    case 'multipleOf':
      return p.multipleOf === 1 ? 'must be a whole number' : `must be a multiple of ${p.multipleOf}`;
    case 'pattern':
      return `does not have the expected form (${p.pattern})`;
    case 'format':
      return `must be ${article(FORMATS[String(p.format)] ?? `a valid ${p.format}`)}`;
    case 'uniqueItems':
      return `lists the same item twice (items ${p.j} and ${p.i})`;
    case 'anyOf':
    case 'oneOf':
      return 'does not fit any of the forms allowed here';
    case 'not':
      return 'is not allowed here';
    case 'propertyNames':
      return 'has a field with a name that is not allowed';
    default:
      return 'is not valid here';
  }
}

const FORMATS: Record<string, string> = {
  'date-time': 'a date and time such as 2026-12-01T09:00:00+08:00',
  date: 'a date such as 2026-12-01',
  email: 'an email address',
  uri: 'a full URL such as https://example.com/path',
  uuid: 'a UUID',
};

/** "string" → "a string", "integer" → "a whole number", "object" → "an object". */
function article(type: string): string {
  const words: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    object: 'an object',
    array: 'a list',
    null: 'null',
  };
  if (type.includes(',')) return type.split(',').map(article).join(' or ');
  return words[type] ?? type;
}
