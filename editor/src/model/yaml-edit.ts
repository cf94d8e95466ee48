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

/** Lines of the original and of its printout that correspond: equal, or printed differently. */
interface Segment {
  original: string[];
  printed: string[];
}

function align(original: string[], printed: string[]): Segment[] {
  const out: Segment[] = [];
  let open: Segment | null = null;
  for (const part of diffArrays(original, printed)) {
    if (!part.added && !part.removed) {
      open = null;
      for (const line of part.value) out.push({ original: [line], printed: [line] });
      continue;
    }
    // Removed and added runs side by side are the same lines, printed differently.
    if (!open) {
      open = { original: [], printed: [] };
      out.push(open);
    }
    (part.added ? open.printed : open.original).push(...part.value);
  }
  return out;
}

/**
 * The edited document as text, with every line the edit did not touch exactly as `original` had
 * it. Printing normalises a little (spaces before comments, long flow maps, indentation), so the
 * printout of the unedited document is lined up with the original, the printout of the edited
 * document with that, and only what the edit changed is taken from the printout.
 */
export function printPreserving(original: string, doc: Document): string {
  const style = styleOf(original);
  const edited = print(doc, style);
  const normal = print(parse(original), style);
  if (normal === original) return edited;
  const segments = align(original.split('\n'), normal.split('\n'));
  const owner = segments.flatMap((seg, i) => seg.printed.map(() => i));
  const parts = diffArrays(normal.split('\n'), edited.split('\n'));
  const touched = new Set<number>();
  let at = 0;
  for (const part of parts) {
    if (part.added) continue;
    if (part.removed) for (let k = 0; k < part.value.length; k++) touched.add(owner[at + k] ?? -1);
    at += part.value.length;
  }
  const out: string[] = [];
  let last = -1;
  // Original lines that printing dropped altogether stay where they were.
  const catchUp = (until: number) => {
    for (let i = last + 1; i < until; i++)
      if (segments[i]?.printed.length === 0) out.push(...(segments[i]?.original ?? []));
  };
  at = 0;
  for (const part of parts) {
    if (part.added) {
      out.push(...part.value);
      continue;
    }
    for (const line of part.value) {
      const i = owner[at++] ?? segments.length;
      catchUp(i);
      if (!part.removed) {
        if (touched.has(i)) out.push(line);
        else if (i !== last) out.push(...(segments[i]?.original ?? []));
      }
      last = Math.max(last, i);
    }
  }
  catchUp(segments.length);
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
    if (node.value === value) return;
    // An empty placeholder ("") was quoted only because it was empty: let the value choose.
    if (node.value === '') node.type = undefined;
    node.value = value;
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
