import { TRIGGER } from './graph.ts';

/** A validation problem as the engine reports it. */
export interface Issue {
  path: string;
  line: number;
  column: number;
  message: string;
}

const SETTINGS = new Set(['trigger', 'start', 'entry', 'exit', 'limits']);

/** The node an issue belongs to: a state, the trigger (journey settings), or none (the file). */
export function nodeOfIssue(issue: Issue): string | null {
  const [head, second] = issue.path.split('.');
  if (head === 'states' && second) return second;
  if (head && SETTINGS.has(head)) return TRIGGER;
  return null;
}

/** Issues grouped by node. */
export function issuesByNode(issues: Issue[]): Map<string, Issue[]> {
  const out = new Map<string, Issue[]>();
  for (const issue of issues) {
    const node = nodeOfIssue(issue);
    if (node === null) continue;
    out.set(node, [...(out.get(node) ?? []), issue]);
  }
  return out;
}

/** Issues whose path is at or under `prefix` (e.g. one step's config). */
export function issuesUnder(issues: Issue[], prefix: string): Issue[] {
  return issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`));
}
