import { RFM_SEGMENTS } from '@tend/plugin-sdk/editor';

/**
 * The segment builder's model: conditions on a customer combined in AND/OR groups, and their
 * translation to the CEL the engine evaluates. CEL stays the one truth (what is saved); the
 * builder reads back the CEL it writes (segment-cel-read.ts).
 */

export type Join = 'all' | 'any';
export type Op = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'has' | 'lacks' | 'within' | 'before';

/** One condition: a field (`rfm.orders90`, `attribute:city`, `consent:email`), a test, a value. */
export interface Rule {
  field: string;
  op: Op;
  value: string;
}
export interface Group {
  join: Join;
  items: (Rule | Group)[];
}

export type FieldKind = 'enum' | 'number' | 'text' | 'tag' | 'consent' | 'age';

export interface Field {
  id: string;
  kind: FieldKind;
  /** The CEL path read (for attributes and consent, the key is appended). */
  path: string;
  /** For RFM fields: what a customer without orders (rfm null) counts as; none: never matches. */
  fallback?: string | number;
  /** The values of an enum field (the lifecycle's stages are the engine's; filled in at run time). */
  options?: readonly string[];
}

const rfmNumber = (name: string, fallback?: number): Field => ({
  id: `rfm.${name}`,
  kind: 'number',
  path: `customer.rfm.${name}`,
  ...(fallback === undefined ? {} : { fallback }),
});

/** The fields a condition can test, in the order the builder offers them. */
export const FIELDS: readonly Field[] = [
  { id: 'stage', kind: 'enum', path: 'customer.stage' },
  { id: 'rfm.segment', kind: 'enum', path: 'customer.rfm.segment', fallback: '', options: RFM_SEGMENTS },
  { id: 'rfm.abc', kind: 'enum', path: 'customer.rfm.abc', fallback: '', options: ['A', 'B', 'C'] },
  rfmNumber('r'),
  rfmNumber('f'),
  rfmNumber('m'),
  rfmNumber('orders30', 0),
  rfmNumber('orders90', 0),
  rfmNumber('orders365', 0),
  rfmNumber('orders', 0),
  rfmNumber('revenue90', 0),
  rfmNumber('revenue365', 0),
  rfmNumber('revenue', 0),
  rfmNumber('recencyDays'),
  // The purchase model's predictions: null before a customer's first one, which matches nothing.
  { id: 'predicted.churn', kind: 'number', path: 'customer.predicted.churn' },
  { id: 'predicted.orders90d', kind: 'number', path: 'customer.predicted.orders90d' },
  { id: 'predicted.value', kind: 'number', path: 'customer.predicted.value' },
  { id: 'tags', kind: 'tag', path: 'customer.tags' },
  { id: 'consent', kind: 'consent', path: 'customer.consent' },
  { id: 'createdAt', kind: 'age', path: 'customer.createdAt' },
  { id: 'owner', kind: 'text', path: 'customer.owner' },
  { id: 'locale', kind: 'text', path: 'customer.locale' },
  { id: 'timezone', kind: 'text', path: 'customer.timezone' },
  { id: 'attribute', kind: 'text', path: 'customer.attributes' },
];

/** The tests each kind of field offers. */
export const OPS: Record<FieldKind, readonly Op[]> = {
  enum: ['==', '!='],
  number: ['>=', '>', '<=', '<', '==', '!='],
  text: ['==', '!=', 'contains', 'has', 'lacks'],
  tag: ['has', 'lacks'],
  consent: ['has', 'lacks'],
  age: ['within', 'before'],
};

/** `attribute:city` → the attribute field keyed `city`; `consent:email` likewise. */
export function fieldOf(id: string): { field: Field; key: string | null } | null {
  const [base, key] = id.includes(':')
    ? [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)]
    : [id, null];
  const field = FIELDS.find((f) => f.id === base);
  if (!field) return null;
  if ((field.id === 'attribute' || field.kind === 'consent') !== (key !== null)) return null;
  return { field, key };
}

export const isGroup = (item: Rule | Group): item is Group => 'items' in item;

/** A new condition on a field, with the field's first test and an empty value. */
export function newRule(fieldId: string): Rule {
  const found = fieldOf(fieldId);
  const kind = found?.field.kind ?? 'text';
  return { field: fieldId, op: OPS[kind][0] as Op, value: kind === 'age' ? '30' : '' };
}

const NUMBER = /^-?\d+(\.\d+)?$/;
/** Attribute keys written `customer.attributes.city`; others `customer.attributes["a key"]`. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What is wrong with a condition, as a message key; null when it can be translated. */
export function ruleProblem(rule: Rule): 'segments.problem.field' | 'segments.problem.value' | null {
  const found = fieldOf(rule.field);
  if (!found || (found.key !== null && found.key.trim() === '')) return 'segments.problem.field';
  if (!OPS[found.field.kind].includes(rule.op)) return 'segments.problem.field';
  const kind = found.field.kind;
  if (kind === 'consent' || (kind === 'text' && (rule.op === 'has' || rule.op === 'lacks'))) return null;
  if (kind === 'number' && !NUMBER.test(rule.value.trim())) return 'segments.problem.value';
  if (kind === 'age' && !/^\d{1,5}$/.test(rule.value.trim())) return 'segments.problem.value';
  if (rule.value.trim() === '') return 'segments.problem.value';
  return null;
}

/** The problems of a whole group, by item path (`0`, `2.1`), for showing beside each row. */
export function groupProblems(group: Group, at = ''): Map<string, string> {
  const out = new Map<string, string>();
  group.items.forEach((item, i) => {
    const here = at ? `${at}.${i}` : String(i);
    if (isGroup(item)) for (const [k, v] of groupProblems(item, here)) out.set(k, v);
    else {
      const problem = ruleProblem(item);
      if (problem) out.set(here, problem);
    }
  });
  return out;
}

const literal = (value: string | number): string =>
  typeof value === 'number' ? String(value) : JSON.stringify(value);

function pathOf(field: Field, key: string | null): string {
  if (key === null) return field.path;
  return IDENT.test(key) ? `${field.path}.${key}` : `${field.path}[${JSON.stringify(key)}]`;
}

/** A value as CEL: numbers of number fields (and number-looking attribute values) as numbers. */
function valueLiteral(field: Field, value: string): string {
  const v = value.trim();
  if (field.kind === 'number' || (field.id === 'attribute' && NUMBER.test(v))) return v;
  return literal(field.kind === 'text' ? value : v);
}

/** One condition as CEL (assumes `ruleProblem(rule)` is null). */
export function ruleToCel(rule: Rule): string {
  const found = fieldOf(rule.field);
  if (!found) throw new Error(`unknown field ${rule.field}`);
  const { field, key } = found;
  const path = pathOf(field, key);
  switch (field.kind) {
    case 'tag':
      return rule.op === 'has'
        ? `${literal(rule.value.trim())} in ${path}`
        : `!(${literal(rule.value.trim())} in ${path})`;
    case 'consent': {
      const granted = `${literal(key ?? '')} in ${field.path} && ${path}.status == "granted"`;
      return rule.op === 'has' ? granted : `!(${granted})`;
    }
    case 'age': {
      const hours = Number(rule.value.trim()) * 24;
      return `now - timestamp(${path}) ${rule.op === 'within' ? '<=' : '>'} duration("${hours}h")`;
    }
    default: {
      // An attribute is there or not; a profile field is always there, maybe empty (null).
      const there = key === null ? `${path} != null` : `${literal(key)} in ${field.path}`;
      if (rule.op === 'has') return there;
      if (rule.op === 'lacks') return key === null ? `${path} == null` : `!(${there})`;
      if (rule.op === 'contains') return `${path}.contains(${literal(rule.value)})`;
      const read =
        field.fallback === undefined ? path : `(customer.rfm == null ? ${literal(field.fallback)} : ${path})`;
      return `${read} ${rule.op} ${valueLiteral(field, rule.value)}`;
    }
  }
}

/** A group as CEL: `true` when empty (everyone), its items joined with && or ||. */
export function groupToCel(group: Group): string {
  const parts = group.items.map((item) => {
    if (!isGroup(item)) return ruleToCel(item);
    const inner = groupToCel(item);
    return item.items.length > 1 ? `(${inner})` : inner;
  });
  if (parts.length === 0) return 'true';
  const joiner = group.join === 'all' ? ' && ' : ' || ';
  // A condition that is itself an && (consent) or a || sits in brackets within the other join.
  return parts
    .map((p) => (parts.length > 1 && /&&|\|\|/.test(p) && !p.startsWith('(') ? `(${p})` : p))
    .join(joiner);
}
