import { describe, expect, it } from 'vitest';
import { MAX_YAML_DEPTH, parseYaml } from './yaml-source.ts';

describe('parseYaml', () => {
  it('refuses nesting past the limit at its line, without overflowing the stack', () => {
    const flow = parseYaml(`id: x\nvalues: ${'['.repeat(200)}${']'.repeat(200)}\n`);
    expect(flow.issues).toEqual([
      {
        path: '',
        line: 2,
        column: 9 + MAX_YAML_DEPTH - 1,
        message: `the document nests mappings and lists deeper than ${MAX_YAML_DEPTH} levels here`,
      },
    ]);
    // So deep that the parser itself gives up: the same words, at the line it stopped.
    const bomb = parseYaml(`id: x\nvalues: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(bomb.issues[0]).toMatchObject({
      line: 2,
      message: expect.stringMatching(/deeper than 64 levels/),
    });
    const block = Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    expect(parseYaml(`${block} 1\n`).issues[0]).toMatchObject({ line: MAX_YAML_DEPTH + 1 });
  });

  it('reads documents within the limit', () => {
    const ok = parseYaml(`v: ${'['.repeat(MAX_YAML_DEPTH - 1)}1${']'.repeat(MAX_YAML_DEPTH - 1)}\n`);
    expect(ok.issues).toEqual([]);
  });
});
