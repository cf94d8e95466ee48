import { describe, expect, it } from 'vitest';
import { describePath, findTooDeep } from './json-depth.ts';

const nested = (depth: number, key = 'a') => `${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}`;

describe('findTooDeep', () => {
  it('lets bodies within the limit through', () => {
    expect(findTooDeep(nested(64), 64)).toBeNull();
    expect(findTooDeep('[[[]]]', 3)).toBeNull();
    expect(findTooDeep('{"a": "[[[[[[[[", "b": "{{{{\\"{{{{"}', 2)).toBeNull();
  });

  it('names where the first container too many opens, and the character', () => {
    expect(findTooDeep('{"data": {"items": [1, {"x": [[]]}]}}', 4)).toEqual({
      at: 'data.items[1].x',
      offset: 29,
    });
    expect(findTooDeep('[[', 1)).toEqual({ at: '[0]', offset: 1 });
    expect(findTooDeep('{"a b": {"c": 1, "d": {}}}', 2)).toEqual({ at: '["a b"].d', offset: 22 });
  });

  it('copes with 100,000 levels without recursion, keeping the path readable', () => {
    const deep = findTooDeep(`{"data":${nested(100_000)}}`, 64);
    expect(deep?.at).toBe('data.a.a.a…a.a.a');
    expect(findTooDeep('['.repeat(100_000), 64)?.offset).toBe(64);
  });

  it('survives unterminated strings and escapes', () => {
    expect(findTooDeep('{"a\\"": [', 1)).toEqual({ at: '["a\\""]', offset: 8 });
    expect(findTooDeep('{"unterminated', 1)).toBeNull();
  });
});

describe('describePath', () => {
  it('reads like a field path', () => {
    expect(describePath(['data', 'order', 2, ''])).toBe('data.order[2]');
    expect(describePath([''])).toBe('the top level');
  });
});
