/*
 * Whether a statement's result columns are spelled with a star (`SELECT *`, `RETURNING *`,
 * `t.*`, `, *`, `(row).*`), which a migration could change under a prepared statement:
 * PostgreSQL then refuses to run it again ("cached plan must not change result type").
 *
 * Only the statement's own level counts. A star inside parentheses (a subquery, a CTE's body, a
 * function's arguments) names the columns of something the result is built from, not the
 * result: the plan is made again when a table changes, and the result keeps its columns.
 * pg-boss's job insert reads its rows with `SELECT *` from a recordset whose columns it
 * declares; counted as a star in the result, it was parsed and planned anew at every insert.
 */

/** The star forms that spell result columns, once strings, identifiers and comments are blanked. */
const STAR = /(?:\bselect(?:\s+all|\s+distinct(?:\s+on)?)?|\breturning|,|\.)\s*\*/i;

/** True when the top level of `sql` selects or returns `*`. */
export function starInResult(sql: string): boolean {
  return STAR.test(topLevel(sql));
}

/**
 * The text at parenthesis depth 0, with string literals, quoted identifiers, dollar-quoted
 * bodies and comments blanked out (a `*` in them is no star of the result).
 */
function topLevel(sql: string): string {
  let out = '';
  let depth = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      out += ' ';
      continue;
    }
    if (c === "'" || c === '"') {
      // '' (or "") inside the quotes is an escaped quote: the scan goes on past it.
      let j = i + 1;
      while (j < n) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j += 1;
      }
      i = j + 1;
      out += ' x ';
      continue;
    }
    if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? n : end + tag.length;
        out += ' x ';
        continue;
      }
    }
    // `(row).*` at the top level keeps its `.*`: only what is inside the parentheses goes.
    if (c === '(') depth += 1;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
    i += 1;
  }
  return out;
}
