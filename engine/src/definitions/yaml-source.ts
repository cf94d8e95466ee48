import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { ValidationIssue } from '../errors.ts';

export type JsonPath = (string | number)[];

/** A parsed YAML document that can say where any part of it is. */
export interface YamlSource {
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain JS value; undefined when the YAML did not parse. */
  value: unknown;
  /** Syntax errors, located. */
  issues: ValidationIssue[];
}

/** Biggest YAML document accepted; a journey is far smaller. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** Mappings and lists inside each other a document may have; a journey needs about ten. */
export const MAX_YAML_DEPTH = 64;

/** Parses YAML keeping positions; never throws. */
export function parseYaml(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const issues: ValidationIssue[] = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return { path: '', line: pos.line, column: pos.col, message: yamlMessage(e.message) };
  });
  let value: unknown;
  const deep = issues.length === 0 ? tooDeep(doc.contents) : null;
  if (deep) {
    // Converting (and every later check) recurses: refuse before that overflows the stack.
    const pos = lines.linePos(deep.range?.[0] ?? 0);
    issues.push({
      path: '',
      line: pos.line,
      column: pos.col,
      message: `the document nests mappings and lists deeper than ${MAX_YAML_DEPTH} levels here`,
    });
  }
  if (issues.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      issues.push({ path: '', line: 1, column: 1, message: (error as Error).message });
    }
  }
  return { text, doc, lines, value, issues };
}

/** The first mapping or list below MAX_YAML_DEPTH others, found without recursion. */
function tooDeep(root: unknown): Node | null {
  const stack: [unknown, number][] = [[root, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_YAML_DEPTH) return node;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) stack.push([item.key, depth + 1], [item.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return null;
}

/** Where a path points: its value, or with `at: 'key'` the key naming it. */
export function locate(
  source: YamlSource,
  path: JsonPath,
  at: 'value' | 'key' = 'value',
): { line: number; column: number } {
  let node: unknown = source.doc.contents;
  let keyNode: unknown = null;
  for (const segment of path) {
    const next = child(node, segment);
    if (!next) break;
    node = next.value;
    keyNode = next.key;
  }
  const target = at === 'key' && keyNode ? keyNode : (node ?? keyNode);
  const offset = isNode(target) && target.range ? target.range[0] : 0;
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** An issue at a path, located. */
export function issueAt(
  source: YamlSource,
  path: JsonPath,
  message: string,
  at: 'value' | 'key' = 'value',
): ValidationIssue {
  return { path: path.join('.'), ...locate(source, path, at), message };
}

/**
 * Where a character inside a scalar's text is (for CEL errors). Exact for plain and quoted
 * single-line scalars, the scalar's start otherwise.
 */
export function locateInScalar(
  source: YamlSource,
  path: JsonPath,
  offsetInValue: number,
): { line: number; column: number } {
  const node = source.doc.getIn(path, true);
  if (!isScalar(node) || !node.range) return locate(source, path);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  const raw = source.text.slice(node.range[0], node.range[1]);
  const offset = raw.includes('\n') ? 0 : quoted + offsetInValue;
  const pos = source.lines.linePos(Math.min(node.range[0] + offset, node.range[1]));
  return { line: pos.line, column: pos.col };
}

function child(node: unknown, segment: string | number): { key: unknown; value: unknown } | null {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? item.key.value : item.key;
      if (String(key) === String(segment)) return { key: item.key, value: item.value ?? item.key };
    }
    return null;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? null : { key: item, value: item };
  }
  return null;
}

function yamlMessage(message: string): string {
  // The parser recurses per level: thousands of levels overflow it before our depth check runs.
  if (/call stack/i.test(message))
    return `the document nests mappings and lists deeper than ${MAX_YAML_DEPTH} levels`;
  // The yaml library appends a position ("at line 3, column 5"); ours travels in line/column.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

export type { Node };
