import { Ajv, type ErrorObject } from 'ajv';
import type { ValidationIssue } from '../errors.ts';
import { workflowSchema } from './schema.ts';
import { didYouMean } from './suggest.ts';
import { issueAt, type JsonPath, type YamlSource } from './yaml-source.ts';

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
const validateShape = ajv.compile(workflowSchema);

/** Checks the file against the JSON Schema; one readable issue per problem. */
export function checkShape(source: YamlSource): ValidationIssue[] {
  if (validateShape(source.value)) return [];
  const errors = (validateShape.errors ?? []).filter(keep);
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const issue = toIssue(source, error);
    const key = `${issue.path}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

// Errors inside an anyOf are noise beside the anyOf's own error (which carries the hint).
function keep(error: ErrorObject): boolean {
  return !error.schemaPath.includes('/anyOf/');
}

function toIssue(source: YamlSource, error: ErrorObject): ValidationIssue {
  const path = pointerToPath(error.instancePath);
  const name = String(path[path.length - 1] ?? 'the file');
  const hint = (error.parentSchema as { 'x-hint'?: string } | undefined)?.['x-hint'];
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return issueAt(source, path, `${where(path)}is missing "${missing}"`, 'key');
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return issueAt(
        source,
        [...path, extra],
        `unknown key "${extra}"${didYouMean(extra, allowed)}; ${where(path)}allows ${allowed.join(', ')}`,
        'key',
      );
    }
    case 'propertyNames':
      return issueAt(source, path, `${where(path)}has a badly named key`, 'key');
    case 'pattern':
    case 'enum':
    case 'anyOf':
    case 'minimum':
    case 'maximum':
      return issueAt(source, path, `"${name}" ${hint ?? error.message}`);
    case 'type':
      return issueAt(
        source,
        path,
        `"${name}" must be ${article((error.params as { type: string }).type)}${hint ? `: it ${hint}` : ''}`,
      );
    case 'minLength':
      return issueAt(source, path, `"${name}" must not be empty`);
    case 'minItems':
    case 'minProperties':
      return issueAt(source, path, `"${name}" must not be empty`);
    default:
      return issueAt(source, path, `"${name}" ${error.message ?? 'is invalid'}`);
  }
}

function pointerToPath(pointer: string): JsonPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function where(path: JsonPath): string {
  if (path.length === 0) return 'the workflow ';
  return `"${path.join('.')}" `;
}

function article(type: string): string {
  if (type === 'object') return 'a map of keys';
  if (type === 'array') return 'a list';
  if (type === 'integer') return 'a whole number';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
