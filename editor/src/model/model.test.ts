import { describe, expect, it } from 'vitest';
import { readDraft } from './def.ts';
import { diffStates } from './diff.ts';
import { fastLayout } from './fast-layout.ts';
import { TRIGGER, toGraph } from './graph.ts';
import { issuesByNode, nodeOfIssue } from './issues.ts';
import { parse } from './yaml-edit.ts';

const draft = (text: string) => readDraft(parse(text).toJS());

const JOURNEY = `id: j
name: J
trigger: { event: e }
start: a
states:
  a:
    wait: { event: clicked, timeout: 2d }
    on:
      clicked: b
      timeout: c
  b:
    choose:
      - when: 'customer.attributes.vip == true'
        next: d
      - next: a
  c:
    split:
      - { weight: 90, next: d }
      - { weight: 10, next: d, label: holdout }
  d: { end: done }
`;

describe('the journey as a graph', () => {
  it('has an edge per transition, labelled with what moves a customer', () => {
    const graph = toGraph(draft(JOURNEY));
    expect(graph.edges.map((e) => [e.source, e.target, e.cause])).toEqual([
      [TRIGGER, 'a', { kind: 'start' }],
      ['a', 'b', { kind: 'event', event: 'clicked' }],
      ['a', 'c', { kind: 'timeout', after: '2d' }],
      ['b', 'd', { kind: 'when', expression: 'customer.attributes.vip == true' }],
      ['b', 'a', { kind: 'otherwise' }],
      ['c', 'd', { kind: 'weight', weight: 90, percent: 90 }],
      ['c', 'd', { kind: 'weight', weight: 10, percent: 10, label: 'holdout' }],
    ]);
  });

  it('reads half-drawn YAML without failing', () => {
    const def = draft(
      'id: x\nstates:\n  a: { steps: [ 5 ], choose: nope, on: { e: [ { next: b } ] } }\n  b: 7\n',
    );
    expect(def.states.a).toEqual({ steps: [{ uses: '' }], on: { e: [{ next: 'b' }] } });
    expect(def.states.b).toEqual({});
    expect(toGraph(def).edges.map((e) => e.dangling)).toEqual([false]);
  });
});

describe('the fast layered layout', () => {
  it('puts every state below the ones leading to it (loops aside) without overlaps', () => {
    const def = draft(JOURNEY);
    const graph = toGraph(def);
    const at = fastLayout(graph, () => ({ width: 260, height: 80 }));
    const y = (id: string) => at[id]?.y ?? Number.NaN;
    expect(y(TRIGGER)).toBeLessThan(y('a'));
    expect(y('a')).toBeLessThan(y('b'));
    expect(y('b')).toBeLessThan(y('d'));
    expect(y('c')).toBe(y('b'));
    expect(Math.abs((at.b?.x ?? 0) - (at.c?.x ?? 0))).toBeGreaterThanOrEqual(260 + 50);
  });
});

describe('differences between versions', () => {
  it('marks added, removed and changed states, and the settings', () => {
    const before = draft(JOURNEY);
    const after = draft(
      JOURNEY.replace('timeout: 2d', 'timeout: 3d')
        .replace('  d: { end: done }', '  e: { end: done }')
        .replace(/next: d/g, 'next: e')
        .replace('event: e }', 'event: f }'),
    );
    expect(Object.fromEntries(diffStates(before, after))).toEqual({
      a: 'changed',
      b: 'changed',
      c: 'changed',
      e: 'added',
      d: 'removed',
      [TRIGGER]: 'changed',
    });
    expect(
      diffStates(before, draft(JOURNEY.replace('{ weight: 90, next: d }', '{ next: d, weight: 90 }'))).size,
    ).toBe(0);
  });
});

describe('validation issues on nodes', () => {
  it('belong to a state, to the trigger (journey settings) or to the file', () => {
    const issue = (path: string) => ({ path, line: 1, column: 1, message: path });
    expect(nodeOfIssue(issue('states.b.choose.0.when'))).toBe('b');
    expect(nodeOfIssue(issue('exit.0.where'))).toBe(TRIGGER);
    expect(nodeOfIssue(issue('id'))).toBeNull();
    expect([...issuesByNode([issue('states.a.on'), issue('states.a.wait'), issue('start')]).keys()]).toEqual([
      'a',
      TRIGGER,
    ]);
  });
});
