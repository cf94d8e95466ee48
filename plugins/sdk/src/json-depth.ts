/**
 * Where a JSON text nests deeper than `max` containers, or null. A linear scan of the text (no
 * recursion, nothing parsed), so it is safe on input of any depth: JSON.parse copes with deep
 * nesting, but whatever walks the parsed value afterwards (schema checks, serialisers, Liquid,
 * CEL) recurses and overflows the stack.
 */
export function findTooDeep(text: string, max: number): { at: string; offset: number } | null {
  // One entry per open container: the key or index being read inside it ('' before the first key).
  const path: (string | number)[] = [];
  const arrays: boolean[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (expectKey && arrays.at(-1) === false) {
        path[path.length - 1] = keyOf(text.slice(i, end + 1));
        expectKey = false;
      }
      i = end;
    } else if (ch === '{' || ch === '[') {
      arrays.push(ch === '[');
      path.push(ch === '[' ? 0 : '');
      expectKey = ch === '{';
      if (arrays.length > max) return { at: describePath(path), offset: i };
    } else if (ch === '}' || ch === ']') {
      arrays.pop();
      path.pop();
      expectKey = false;
    } else if (ch === ',') {
      const top = path.length - 1;
      if (arrays[top] === true) path[top] = (path[top] as number) + 1;
      else if (arrays[top] === false) expectKey = true;
    }
  }
  return null;
}

/** The index of the quote that closes the string opening at `start` (or the end of the text). */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '"') return j;
  }
  return text.length;
}

function keyOf(quoted: string): string {
  try {
    return String(JSON.parse(quoted));
  } catch {
    return quoted.slice(1, -1);
  }
}

/**
 * `data.items[3].a` — the container that went one level too deep; long paths keep their start
 * and end, since the middle of a 65-level path tells a reader nothing more.
 */
export function describePath(path: readonly (string | number)[]): string {
  const parts = path.map((p, i) => {
    if (typeof p === 'number') return `[${p}]`;
    const key = p.length > 40 ? `${p.slice(0, 40)}…` : p;
    return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`;
  });
  // The innermost entry is the container that is one too many: it has no key yet worth naming.
  const shown = parts.slice(0, -1);
  if (shown.length === 0) return 'the top level';
  const text =
    shown.length > 8
      ? `${shown.slice(0, 4).join('')}…${shown.slice(-3).join('').replace(/^\./, '')}`
      : shown.join('');
  return text.replace(/^\./, '');
}
