import type { ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import type { FileIssue } from './files.ts';
import { schemaProblem } from './schema-problem.ts';

/** A problem at a place in a YAML document (`['questions', 2, 'id']`). */
export interface YamlProblem {
  path: (string | number)[];
  message: string;
}

/**
 * The problems of a YAML file a plugin reads (a survey, a policy), each at its line and column:
 * syntax first, then `check` (a compiled JSON Schema), then `meaning` for what a schema cannot
 * say. `what` names the document in messages about its root ("the survey").
 */
export function yamlFileIssues<T>(
  content: string,
  check: ValidateFunction,
  what: string,
  meaning?: (value: T) => YamlProblem[],
): FileIssue[] {
  const lines = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lines });
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({
      line: e.linePos?.[0]?.line ?? 1,
      column: e.linePos?.[0]?.col ?? 1,
      message: e.message,
    }));
  }
  const locate = ({ path, message }: YamlProblem): FileIssue => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    return { line: pos.line, column: pos.col, message };
  };
  const value = (doc.toJS() ?? {}) as T;
  if (!check(value)) {
    return (check.errors ?? []).flatMap((e) => {
      const problem = schemaProblem(e);
      if (problem === null) return [];
      const path = e.instancePath
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      return [
        locate({ path, message: `${e.instancePath.slice(1).replaceAll('/', '.') || what}: ${problem}` }),
      ];
    });
  }
  return (meaning?.(value) ?? []).map(locate);
}
