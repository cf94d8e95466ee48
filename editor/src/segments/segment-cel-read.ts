import { type CelNode, celSyntax } from '@tend/plugin-sdk/cel';
import { FIELDS, type Group, groupToCel, isGroup, type Op, type Rule } from './segment-rules.ts';

/**
 * Reads a segment's CEL back into the builder's groups. Only what the builder writes is read: an
 * expression written by hand that the builder would write differently gives null, and the page
 * keeps it as CEL (so opening and saving never changes a hand-written condition).
 */
export function celToGroup(expression: string): Group | null {
  const tree = celSyntax(expression);
  if (!tree) return null;
  let group: Group | null;
  try {
    group = asGroup(tree);
  } catch {
    return null;
  }
  if (!group) return null;
  return sameTree(celSyntax(groupToCel(group)), tree) ? group : null;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

function node(value: unknown): CelNode {
  if (!value || typeof value !== 'object' || !('op' in value)) throw new Error('not a node');
  return value as CelNode;
}
const args = (n: CelNode): unknown[] => (Array.isArray(n.args) ? n.args : [n.args]);

function asGroup(tree: CelNode): Group | null {
  if (tree.op === 'value' && tree.args === true) return { join: 'all', items: [] };
  const join = tree.op === '&&' && !consentRule(tree) ? 'all' : tree.op === '||' ? 'any' : null;
  if (!join) {
    const rule = asRule(tree);
    return rule ? { join: 'all', items: [rule] } : null;
  }
  const items: (Rule | Group)[] = [];
  for (const part of chain(tree, tree.op)) {
    const sub = part.op === (join === 'all' ? '||' : '&&') && !consentRule(part) ? asGroup(part) : null;
    if (sub)
      items.push(sub.items.length === 1 && !isGroup(sub.items[0] as Rule) ? (sub.items[0] as Rule) : sub);
    else {
      const rule = asRule(part);
      if (!rule) return null;
      items.push(rule);
    }
  }
  return { join, items };
}

/** The operands of a run of the same && or || (left-associated in the tree). */
function chain(tree: CelNode, op: string): CelNode[] {
  if (tree.op !== op || consentRule(tree)) return [tree];
  return args(tree).flatMap((a) => chain(node(a), op));
}

function asRule(n: CelNode): Rule | null {
  if (n.op === '!_') {
    const inner = node(n.args);
    const positive = consentRule(inner) ?? inRule(inner);
    return positive && positive.op === 'has' ? { ...positive, op: 'lacks' } : null;
  }
  return consentRule(n) ?? inRule(n) ?? containsRule(n) ?? ageRule(n) ?? comparison(n);
}

/** `"email" in customer.consent && customer.consent.email.status == "granted"` */
function consentRule(n: CelNode): Rule | null {
  if (n.op !== '&&') return null;
  const [left, right] = args(n).map(node);
  if (!left || !right || left.op !== 'in' || right.op !== '==') return null;
  const [channel, target] = args(left).map(node);
  if (channel?.op !== 'value' || typeof channel.args !== 'string' || pathText(target) !== 'customer.consent')
    return null;
  const [status, granted] = args(right).map(node);
  if (granted?.op !== 'value' || granted.args !== 'granted') return null;
  if (pathText(status) !== `customer.consent.${channel.args}.status`) return null;
  return { field: `consent:${channel.args}`, op: 'has', value: '' };
}

/** `"vip" in customer.tags`; `"city" in customer.attributes` (the attribute is there) */
function inRule(n: CelNode): Rule | null {
  if (n.op !== 'in') return null;
  const [key, target] = args(n).map(node);
  if (key?.op !== 'value' || typeof key.args !== 'string') return null;
  const where = pathText(target);
  if (where === 'customer.tags') return { field: 'tags', op: 'has', value: key.args };
  if (where === 'customer.attributes') return { field: `attribute:${key.args}`, op: 'has', value: '' };
  return null;
}

/** `customer.attributes.city.contains("海")` */
function containsRule(n: CelNode): Rule | null {
  if (n.op !== 'rcall') return null;
  const [name, target, list] = args(n) as [string, unknown, unknown[]];
  const value = node(list[0]);
  if (name !== 'contains' || list.length !== 1 || value.op !== 'value' || typeof value.args !== 'string')
    return null;
  const field = fieldAt(pathText(node(target)));
  return field ? { field, op: 'contains', value: value.args } : null;
}

/** `now - timestamp(customer.createdAt) <= duration("720h")` */
function ageRule(n: CelNode): Rule | null {
  if (n.op !== '<=' && n.op !== '>') return null;
  const [diff, span] = args(n).map(node);
  if (diff?.op !== '-' || span?.op !== 'call') return null;
  const [now, stamp] = args(diff).map(node);
  const [fn, spanArgs] = args(span) as [string, unknown[]];
  const hours = node(spanArgs[0]);
  if (now?.op !== 'id' || now.args !== 'now' || stamp?.op !== 'call' || fn !== 'duration') return null;
  const [stampFn, stampArgs] = args(stamp) as [string, unknown[]];
  if (stampFn !== 'timestamp' || pathText(node(stampArgs[0])) !== 'customer.createdAt') return null;
  const h = typeof hours.args === 'string' ? /^(\d+)h$/.exec(hours.args) : null;
  if (!h || Number(h[1]) % 24 !== 0) return null;
  return { field: 'createdAt', op: n.op === '<=' ? 'within' : 'before', value: String(Number(h[1]) / 24) };
}

/** `customer.stage == "active"`, `(customer.rfm == null ? 0 : customer.rfm.orders90) >= 3` */
function comparison(n: CelNode): Rule | null {
  if (!COMPARISONS.has(n.op)) return null;
  const [left, right] = args(n).map(node);
  if (!left || !right) return null;
  if (right.op === 'value' && right.args === null && (n.op === '==' || n.op === '!=')) {
    const field = fieldAt(pathText(left));
    return field ? { field, op: n.op === '!=' ? 'has' : 'lacks', value: '' } : null;
  }
  const value = literalOf(right);
  if (value === null) return null;
  const target = left.op === '?:' ? node(args(left)[2]) : left;
  const field = fieldAt(pathText(target));
  return field ? { field, op: n.op as Op, value } : null;
}

function literalOf(n: CelNode): string | null {
  if (n.op === '-_') {
    const inner = literalOf(node(n.args));
    return inner === null ? null : `-${inner}`;
  }
  if (n.op !== 'value') return null;
  const v = n.args;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

/** `customer.attributes.city` as text; `customer.attributes["a key"]` as `customer.attributes.a key`. */
function pathText(n: CelNode | undefined): string | null {
  if (!n) return null;
  if (n.op === 'id') return String(n.args);
  if (n.op === '.') {
    const [target, name] = args(n) as [unknown, string];
    const base = pathText(node(target));
    return base === null ? null : `${base}.${name}`;
  }
  if (n.op === '[]') {
    const [target, key] = args(n).map(node);
    const base = pathText(target);
    return base === null || key?.op !== 'value' || typeof key.args !== 'string'
      ? null
      : `${base}.${key.args}`;
  }
  return null;
}

/** The builder's field id for a path: a fixed field, `attribute:<key>` or null. */
function fieldAt(path: string | null): string | null {
  if (path === null) return null;
  const fixed = FIELDS.find((f) => f.path === path && f.id !== 'attribute' && f.kind !== 'consent');
  if (fixed) return fixed.id;
  const prefix = 'customer.attributes.';
  return path.startsWith(prefix) && path.length > prefix.length
    ? `attribute:${path.slice(prefix.length)}`
    : null;
}

/** Two trees equal but for where their nodes sit in the text. */
function sameTree(a: unknown, b: unknown): boolean {
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
function strip(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return value.map(strip);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'pos' && k !== 'start' && k !== 'end')
      .map(([k, v]) => [k, strip(v)]),
  );
}
