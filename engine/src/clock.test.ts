import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.ts';
import { ConfigError, clockOffset, repoRoot } from './config.ts';
import { startAfterSeconds } from './queue/boss.ts';

/**
 * One clock: every time the engine decides with or records is the engine's (clock.ts), never
 * PostgreSQL's `now()` nor the machine's `Date.now()`. Two clocks disagree as soon as a test
 * moves one (a TestClock) or an operator does (TEND_CLOCK_OFFSET), and a time recorded by one
 * and compared by the other is then off by years.
 */
describe('one clock', () => {
  /**
   * Files that may read the machine's time, and why. Elapsed time (time budgets, progress bars,
   * cache holds) needs no entry: performance.now() measures it.
   */
  const MACHINE_TIME: Record<string, string> = {
    'engine/src/clock.ts': 'the engine clock itself: the machine time moved by TEND_CLOCK_OFFSET',
    'engine/src/logger.ts': 'line stamps say when a line was written, read beside other processes’ logs',
  };
  /** Frozen once landed: what they did stays as it was (migration 10 drops their defaults). */
  const MIGRATIONS = 'engine/src/store/migrations/';

  const DATABASE_CLOCK =
    /\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday)\s*\(\s*\)|\b(current_timestamp|current_date|current_time|localtimestamp|localtime)\b|'now'/i;
  const MACHINE_CLOCK =
    /\bDate\s*\.\s*now\s*\(|\bnew\s+Date\b\s*(\(\s*\)|(?![\s(]))|(?<![\w.]|new\s)Date\s*\(\s*\)/;

  it('no SQL reads the database clock and no code reads the machine clock', () => {
    const found: string[] = [];
    for (const file of sourceFiles()) {
      const { code, text } = split(readFileSync(path.join(repoRoot, file), 'utf8'));
      const check = (masked: string, rule: RegExp, what: string) =>
        masked.split('\n').forEach((line, i) => {
          if (rule.test(line)) found.push(`${file}:${i + 1}: ${what}`);
        });
      if (!file.startsWith(MIGRATIONS)) check(text, DATABASE_CLOCK, "SQL reads the database's clock");
      if (!(file in MACHINE_TIME)) check(code, MACHINE_CLOCK, "reads the machine's clock");
    }
    expect(found, 'pass the engine clock instead (deps.now(), services.now(), c.var.services.now())').toEqual(
      [],
    );
  });

  it('sees what it looks for, and only there', () => {
    // Sources as text: a template's `${…}` written out as \${…}.
    expect(DATABASE_CLOCK.test(split(`const q = sql\`UPDATE t SET at = now() WHERE \${x} > y\`;`).text)).toBe(
      true,
    );
    expect(DATABASE_CLOCK.test(split(`const at = now(); /* now() */ f(\`\${now()}\`); // now()`).text)).toBe(
      false,
    );
    for (const bad of ['Date.now()', 'new Date()', 'new Date', 'String(Date())'])
      expect(MACHINE_CLOCK.test(split(`const x = ${bad};`).code), bad).toBe(true);
    for (const fine of [
      'new Date(ms)',
      'new Date(now.getTime() + 1)',
      "'Date.now()'",
      '// new Date()',
      'toDate()',
    ])
      expect(MACHINE_CLOCK.test(split(`const x = ${fine};`).code), fine).toBe(false);
    // A regular expression with a quote in it does not start a string.
    expect(split("const r = /'/; const t = Date.now();").code).toContain('Date.now()');
  });
});

describe('TEND_CLOCK_OFFSET', () => {
  it('is a signed whole number of years (365 days), weeks, days, hours, minutes or seconds', () => {
    expect(clockOffset(undefined)).toBe(0);
    expect(clockOffset('')).toBe(0);
    expect(clockOffset('+3y')).toBe(3 * 365 * 86_400_000);
    expect(clockOffset('-2y')).toBe(-2 * 365 * 86_400_000);
    expect(clockOffset('+400d')).toBe(400 * 86_400_000);
    expect(clockOffset('-36h')).toBe(-36 * 3_600_000);
    expect(clockOffset('+2w')).toBe(14 * 86_400_000);
    expect(clockOffset('-90m')).toBe(-90 * 60_000);
    expect(clockOffset('+45s')).toBe(45_000);
    expect(clockOffset('-0d')).toBe(0);
  });

  it('refuses anything else, saying what it takes', () => {
    for (const bad of ['3y', '+3', '+1.5d', '+3 y', '+3Y', '+1y2d', '+3mo', 'tomorrow', '+101y']) {
      expect(() => clockOffset(bad), bad).toThrow(ConfigError);
    }
    expect(() => clockOffset('3d')).toThrow(/TEND_CLOCK_OFFSET .*such as \+3y/);
  });

  it('moves the system clock', () => {
    const ahead = systemClock(clockOffset('+3y'))().getTime() - Date.now();
    expect(Math.abs(ahead - 3 * 365 * 86_400_000)).toBeLessThan(1000);
  });
});

describe('startAfterSeconds', () => {
  it('counts from the engine clock, never below zero', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(startAfterSeconds(new Date('2030-01-01T00:00:12.5Z'), now)).toBe(12.5);
    expect(startAfterSeconds(new Date('2029-12-31T23:00:00Z'), now)).toBe(0);
  });
});

/** Every source file of the engine and the plugins, tests left out, relative to the repository. */
function sourceFiles(): string[] {
  const roots = [
    'engine/src',
    ...readdirSync(path.join(repoRoot, 'plugins'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `plugins/${d.name}/src`),
  ];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory() && e.name !== 'node_modules') walk(rel);
      else if (e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) files.push(rel);
    }
  };
  for (const r of roots) {
    try {
      walk(r);
    } catch {
      // A plugin folder without src/.
    }
  }
  expect(files.length).toBeGreaterThan(100);
  return files;
}

/**
 * Splits TypeScript source into `code` (strings and comments blanked) and `text` (the contents of
 * strings and templates, everything else blanked), line breaks kept, so a match names its line.
 * A small scanner: comments, quotes, templates with nested `${…}`, and regular expressions
 * (a `/` where a value is expected).
 */
function split(source: string): { code: string; text: string } {
  let code = '';
  let text = '';
  const put = (ch: string, kind: 'code' | 'text' | 'none') => {
    const blank = ch === '\n' ? '\n' : ' ';
    code += kind === 'code' ? ch : blank;
    text += kind === 'text' ? ch : blank;
  };
  /** Brace depths at which a `}` closes a template's `${`. */
  const templates: number[] = [];
  let depth = 0;
  let last = ''; // the last significant code character, to tell a regex from a division
  let i = 0;
  const template = () => {
    // Inside a template's text, up to its end or the next `${`.
    while (i < source.length) {
      const ch = source[i] as string;
      if (ch === '\\') {
        put(ch, 'text');
        put(source[i + 1] ?? '', 'text');
        i += 2;
      } else if (ch === '`') {
        put(ch, 'none');
        i += 1;
        last = '`';
        return;
      } else if (ch === '$' && source[i + 1] === '{') {
        put('$', 'none');
        put('{', 'none');
        i += 2;
        templates.push(depth);
        depth += 1;
        last = '{';
        return;
      } else {
        put(ch, 'text');
        i += 1;
      }
    }
  };
  while (i < source.length) {
    const ch = source[i] as string;
    const next = source[i + 1];
    if (ch === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') put(source[i++] as string, 'none');
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      while (i < stop) put(source[i++] as string, 'none');
    } else if (ch === "'" || ch === '"') {
      put(ch, 'none');
      i += 1;
      while (i < source.length && source[i] !== ch && source[i] !== '\n') {
        if (source[i] === '\\') put(source[i++] as string, 'text');
        put(source[i++] as string, 'text');
      }
      put(source[i] ?? '', 'none');
      i += 1;
      last = ch;
    } else if (ch === '`') {
      put(ch, 'none');
      i += 1;
      template();
    } else if (ch === '}' && templates.at(-1) === depth - 1) {
      templates.pop();
      depth -= 1;
      put(ch, 'none');
      i += 1;
      template();
    } else if (
      ch === '/' &&
      (last === '' ||
        /[(,=:[!&|?{};+\-*%<>~^]/.test(last) ||
        /\b(return|typeof|case|in|of|void|throw)\s*$/.test(code.slice(-16)))
    ) {
      // A regular expression: up to its closing `/` (not one inside a [class]), then its flags.
      let inClass = false;
      put(ch, 'none');
      i += 1;
      while (i < source.length && source[i] !== '\n') {
        const c = source[i] as string;
        if (c === '\\') put(source[i++] as string, 'none');
        else if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        put(source[i++] as string, 'none');
      }
      put(source[i] ?? '', 'none');
      i += 1;
      last = '/';
    } else {
      if (ch === '{') depth += 1;
      else if (ch === '}') depth -= 1;
      put(ch, 'code');
      if (!/\s/.test(ch)) last = ch;
      i += 1;
    }
  }
  return { code, text };
}
