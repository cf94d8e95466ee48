import { createHash } from 'node:crypto';
import type { ValidationIssue } from '../errors.ts';
import type { StepCatalog } from './catalog.ts';
import { checkExpressions } from './expressions.ts';
import { checkSemantics } from './semantics.ts';
import { checkShape } from './shape.ts';
import type { WorkflowDef } from './types.ts';
import { MAX_YAML_BYTES, parseYaml, type YamlSource } from './yaml-source.ts';

export type Validated =
  | { ok: true; def: WorkflowDef; hash: string; source: YamlSource }
  | { ok: false; issues: ValidationIssue[] };

/**
 * Validates a workflow file before anything runs: YAML syntax, the JSON Schema, structure,
 * expressions and each step's config. Reports every problem of the file at once, in line order.
 */
export function validateWorkflow(text: string, catalog: StepCatalog): Validated {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) {
    return fail([
      { path: '', line: 1, column: 1, message: `the file is larger than ${MAX_YAML_BYTES / 1024} KiB` },
    ]);
  }
  const source = parseYaml(text);
  if (source.issues.length > 0) return fail(source.issues);
  if (source.value === null || source.value === undefined) {
    return fail([
      {
        path: '',
        line: 1,
        column: 1,
        message: 'the file is empty: a workflow needs id, name, trigger, start and states',
      },
    ]);
  }
  if (typeof source.value !== 'object' || Array.isArray(source.value)) {
    return fail([
      {
        path: '',
        line: 1,
        column: 1,
        message:
          'a workflow is a map of keys (id, name, trigger, start, states), not a list or a single value',
      },
    ]);
  }
  const shape = checkShape(source);
  const def = source.value as WorkflowDef;
  const deeper = [
    ...guarded(() => checkSemantics(source, def)),
    ...guarded(() => checkExpressions(source, def, catalog)),
  ];
  if (shape.length === 0 && deeper.length === 0) {
    return { ok: true, def, hash: contentHash(text), source };
  }
  // With a broken shape the deeper checks still run, so one round trip shows every problem;
  // those about a part the shape check already flagged would only repeat it.
  const flagged = shape.map((i) => i.path);
  const extra = deeper.filter((i) => !flagged.some((p) => i.path === p || i.path.startsWith(`${p}.`)));
  return fail([...shape, ...extra]);
}

function guarded(check: () => ValidationIssue[]): ValidationIssue[] {
  try {
    return check();
  } catch {
    // Only reachable when the shape is already invalid; the shape issues explain it.
    return [];
  }
}

/** The version identity of a workflow file: its exact bytes. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function fail(issues: ValidationIssue[]): Validated {
  const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, issues: sorted };
}
