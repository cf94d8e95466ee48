import { describe, expect, it } from 'vitest';
import { guessMapping, mappingProblem, ndjsonLines, rowToCustomer } from './import-mapping.ts';

describe('a customers CSV for import', () => {
  it('guesses columns from English or Chinese headers; the rest become attributes', () => {
    expect(
      ['客户编号', 'E-mail', '手机号', '姓名', '标签', 'consent.sms', 'attributes.city', 'level', ' '].map(
        guessMapping,
      ),
    ).toEqual([
      { target: 'id', attribute: '' },
      { target: 'email', attribute: '' },
      { target: 'phone', attribute: '' },
      { target: 'name', attribute: '' },
      { target: 'tags', attribute: '' },
      { target: 'consent.sms', attribute: '' },
      { target: 'attribute', attribute: 'city' },
      { target: 'attribute', attribute: 'level' },
      { target: 'ignore', attribute: '' },
    ]);
  });

  it('refuses a mapping without one id, with a field twice or an unnamed attribute', () => {
    const id = { target: 'id', attribute: '' } as const;
    expect(mappingProblem([{ target: 'name', attribute: '' }])).toBe('import.problem.noId');
    expect(mappingProblem([id, id])).toBe('import.problem.twice');
    expect(mappingProblem([id, { target: 'email', attribute: '' }, { target: 'email', attribute: '' }])).toBe(
      'import.problem.twice',
    );
    expect(mappingProblem([id, { target: 'attribute', attribute: ' ' }])).toBe('import.problem.attribute');
    expect(
      mappingProblem([id, { target: 'attribute', attribute: 'a' }, { target: 'attribute', attribute: 'a' }]),
    ).toBe('import.problem.attribute');
    expect(
      mappingProblem([id, { target: 'ignore', attribute: '' }, { target: 'ignore', attribute: '' }]),
    ).toBeNull();
  });

  it('turns a row into a customer: tags split, consent in words, numbers kept apart from codes', () => {
    const mappings = [
      'id',
      'name',
      'tags',
      'consent.email',
      'consent.sms',
      'attribute',
      'attribute',
      'ignore',
    ].map((target, i) => ({
      target,
      attribute: ['', '', '', '', '', 'level', 'zip', ''][i] as string,
    })) as Parameters<typeof rowToCustomer>[1];
    expect(
      rowToCustomer(['c1', '李娜', 'vip; 咖啡、new', '同意', 'no', '3', '012345', 'x'], mappings),
    ).toEqual({
      ok: true,
      customer: {
        id: 'c1',
        name: '李娜',
        tags: ['vip', '咖啡', 'new'],
        consent: {
          email: { status: 'granted', source: 'import' },
          sms: { status: 'withdrawn', source: 'import' },
        },
        attributes: { level: 3, zip: '012345' },
      },
    });
    expect(rowToCustomer(['c2', '', '', 'maybe'], mappings)).toEqual({
      ok: false,
      message: 'consent.email: "maybe" is not granted or withdrawn',
    });
    expect(rowToCustomer(['', 'no id'], mappings)).toEqual({ ok: false, message: 'no id' });
  });

  it('reads NDJSON a line at a time, naming the lines that are not JSON', () => {
    expect(ndjsonLines('{"a":1}\n\n{oops\r\n{"b":2}\n')).toEqual([
      { line: 1, item: { a: 1 } },
      { line: 3, message: expect.stringMatching(/^not JSON/) },
      { line: 4, item: { b: 2 } },
    ]);
  });
});
