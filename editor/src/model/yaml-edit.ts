import { diffArrays } from 'diff';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type ToStringOptions,
  type YAMLMap,
} from 'yaml';

export type Path = (string | number)[];

/** How a file is written (indentation, sequence style), so a visual edit writes it the same way. */
export function styleOf(text: string): ToStringOptions {
  const indents = [...text.matchAll(/^( +)\S/gm)].map((m) => m[1]?.length ?? 0).filter((n) => n > 0);
  const indent = indents.length > 0 ? Math.min(...indents) : 2;
  // A sequence under a key written flush (`key:\n- a`) rather than indented (`key:\n  - a`).
  const flush = /^(\s*)[^\s#-][^\n]*:\s*\n\1- /m.test(text);
  return {
    indent: Math.min(Math.max(indent, 2), 8),
    indentSeq: !flush,
    lineWidth: 0,
    minContentWidth: 0,
    // `{ a: 1 }` unless the file writes `{a: 1}`.
    flowCollectionPadding: /\{ /.test(text) || !/\{[^\s}]/.test(text),
  };
}

export function parse(text: string): Document.Parsed {
  return parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
}

/** The document back to text in the file's own style; an empty document stays empty. */
export function print(doc: Document, style: ToStringOptions): string {
  return doc.contents === null ? '' : doc.toString(style);
}

/**
 * The edited document as text, with every line the edit did not touch exactly as `original` had
 * it. Printing normalises a little (spaces before comments, some indentation), so the printed
 * original and the printed edit are compared line by line, and only the lines that differ come
 * from the printout; the rest are the original's own lines.
 */
export function printPreserving(original: string, doc: Document): string {
  const style = styleOf(original);
  const edited = print(doc, style);
  const normal = print(parse(original), style);
  if (normal === original) return edited;
  const from = original.split('\n');
  const before = normal.split('\n');
  // Lines only map one to one when printing kept the line count (it nearly always does).
  if (from.length !== before.length) return edited;
  const out: string[] = [];
  let i = 0;
  for (const part of diffArrays(before, edited.split('\n'))) {
    if (part.added) out.push(...part.value);
    else if (part.removed) i += part.value.length;
    else {
      out.push(...from.slice(i, i + part.value.length));
      i += part.value.length;
    }
  }
  return out.join('\n');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalarValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Sets the value at `path`, changing as little of the document as possible: maps and lists are
 * updated item by item and scalars in place, so comments, quoting and flow style of every part
 * that keeps its value survive. Missing parents are created.
 */
export function assignIn(doc: Document, path: Path, value: unknown): void {
  if (value === undefined) {
    doc.deleteIn(path);
    return;
  }
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!node) {
    doc.setIn(path, doc.createNode(value));
    return;
  }
  assignNode(doc, node as Node, value, (replacement) => {
    if (path.length === 0) doc.contents = replacement as never;
    else doc.setIn(path, replacement);
  });
}

function assignNode(doc: Document, node: Node, value: unknown, replace: (n: Node) => void): void {
  if (isScalar(node) && isScalarValue(value)) {
    if (node.value !== value) node.value = value;
    return;
  }
  if (isMap(node) && isPlainObject(value)) {
    for (const item of [...node.items]) {
      const key = isScalar(item.key) ? item.key.value : item.key;
      if (!(String(key) in value)) node.delete(item.key);
    }
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === key);
      if (pair?.value && isPair(pair)) assignNode(doc, pair.value as Node, v, (n) => (pair.value = n));
      else node.set(doc.createNode(key), doc.createNode(v));
    }
    return;
  }
  if (isSeq(node) && Array.isArray(value)) {
    node.items.splice(value.length);
    value.forEach((v, i) => {
      const item = node.items[i];
      if (item && typeof item === 'object') assignNode(doc, item as Node, v, (n) => (node.items[i] = n));
      else node.items[i] = doc.createNode(v);
    });
    return;
  }
  const created = doc.createNode(value);
  replace(created);
}

/** A new map written in flow style (`{ for: 1d }`), as short settings usually are. */
export function flowMap(doc: Document, value: Record<string, unknown>): YAMLMap {
  const node = doc.createNode(value) as YAMLMap;
  node.flow = true;
  return node;
}

/** Renames a key of the map at `path` in place (its comments and position stay). */
export function renameKey(doc: Document, path: Path, from: string, to: string): boolean {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) return false;
  const pair = map.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === from);
  if (!pair) return false;
  if (isScalar(pair.key)) pair.key.value = to;
  else pair.key = doc.createNode(to);
  return true;
}

/** Line (1-based) where the node at `path` starts, for jumping from the canvas to the YAML. */
export function lineOf(text: string, path: Path): number | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  // A map entry starts at its key; anything else at its own node.
  const parent = path.length > 0 ? doc.getIn(path.slice(0, -1), true) : null;
  const pair = isMap(parent)
    ? parent.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(path.at(-1)))
    : undefined;
  const node = (pair?.key ?? doc.getIn(path, true)) as Node | undefined;
  return node?.range ? lines.linePos(node.range[0]).line : null;
}
