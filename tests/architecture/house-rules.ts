import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG = path.join(REPO, '.dependency-cruiser.cjs');

/** The rules of .dependency-cruiser.cjs, cruised over a tree laid out like the repository. */
export async function cruiseHouse(baseDir: string, roots: string[]): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(CONFIG);
  const inRepo = baseDir === REPO;
  const result = await cruise(roots, {
    ...options,
    baseDir,
    // A fixture tree has no tsconfig of its own: its plain relative imports need none.
    ...(inRepo ? { tsConfig: { fileName: path.join(REPO, 'tsconfig.json') } } : { tsConfig: undefined }),
  });
  return result.output as ICruiseResult;
}

/** Every rule broken: `rule: from → to`. */
export function violationsOf(result: ICruiseResult): string[] {
  return (result.summary.violations ?? []).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

/**
 * Folders of engine/src that import each other, directly or round about (strongly connected
 * components of the graph of folders): each cycle as its folders, sorted.
 */
export function folderCycles(result: ICruiseResult, root = 'engine/src/'): string[][] {
  const folderOf = (file: string) => {
    if (!file.startsWith(root)) return null;
    const rest = file.slice(root.length);
    return rest.includes('/') ? (rest.split('/')[0] as string) : null;
  };
  const edges = new Map<string, Set<string>>();
  for (const m of result.modules) {
    const from = folderOf(m.source);
    if (!from || /\.test\.tsx?$/.test(m.source)) continue;
    for (const d of m.dependencies) {
      const to = folderOf(d.resolved);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
  }
  // Tarjan's algorithm.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indexOf.get(w) as number));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      for (;;) {
        const w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!indexOf.has(v)) visit(v);
  return cycles;
}
