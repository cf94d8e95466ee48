import { checkCel, evaluateCondition } from '@tend/plugin-sdk/cel';
import { describe, expect, it } from 'vitest';
import { celToGroup } from './segment-cel-read.ts';
import { type Group, groupProblems, groupToCel, ruleToCel } from './segment-rules.ts';

const at = new Date('2026-12-05T00:00:00Z');
const customer = (over: Record<string, unknown> = {}) => ({
  id: 'c1',
  tags: ['vip'],
  stage: 'active',
  owner: 'mei',
  locale: 'zh-CN',
  timezone: 'Asia/Shanghai',
  attributes: { city: '上海', visits: 4, 'member since': '2020' },
  consent: { email: { status: 'granted', source: 'import', at: '2026-01-01' } },
  rfm: null,
  createdAt: '2026-11-20T00:00:00Z',
  ...over,
});
const matches = (group: Group, c: Record<string, unknown>) =>
  evaluateCondition(groupToCel(group), { customer: c, event: null, run: {}, now: at }).result;

const atRiskChampions: Group = {
  join: 'all',
  items: [
    { field: 'rfm.segment', op: '==', value: 'at-risk' },
    { field: 'owner', op: '==', value: 'mei' },
    {
      join: 'any',
      items: [
        { field: 'rfm.orders90', op: '>=', value: '2' },
        { field: 'rfm.revenue365', op: '>', value: '999.5' },
      ],
    },
    { field: 'consent:email', op: 'has', value: '' },
    { field: 'tags', op: 'lacks', value: 'blocked' },
  ],
};

describe('segment builder → CEL', () => {
  it('writes CEL the engine accepts, and evaluates as the conditions say', () => {
    const cel = groupToCel(atRiskChampions);
    expect(checkCel(cel)).toEqual({ ok: true });
    const rfm = { segment: 'at-risk', orders90: 0, revenue365: 1000 };
    expect(matches(atRiskChampions, customer({ rfm }))).toBe(true);
    expect(matches(atRiskChampions, customer({ rfm: { ...rfm, revenue365: 10 } }))).toBe(false);
    expect(matches(atRiskChampions, customer({ rfm, tags: ['blocked'] }))).toBe(false);
    expect(matches(atRiskChampions, customer({ rfm, consent: {} }))).toBe(false);
    expect(matches(atRiskChampions, customer({ rfm: null }))).toBe(false);
  });

  it('counts a customer without orders as zero orders and revenue, but never as a score', () => {
    const none: Group = { join: 'all', items: [{ field: 'rfm.orders90', op: '==', value: '0' }] };
    expect(matches(none, customer())).toBe(true);
    const scored: Group = { join: 'all', items: [{ field: 'rfm.r', op: '<=', value: '2' }] };
    expect(matches(scored, customer())).toBe(false);
    const notLost: Group = { join: 'all', items: [{ field: 'rfm.segment', op: '!=', value: 'lost' }] };
    expect(matches(notLost, customer())).toBe(true);
  });

  it('tests the predictions, which match no one before a customer has them, and reads them back', () => {
    const slipping: Group = {
      join: 'all',
      items: [
        { field: 'predicted.churn', op: '>', value: '0.7' },
        { field: 'predicted.value', op: '>=', value: '200' },
      ],
    };
    expect(groupToCel(slipping)).toBe('customer.predicted.churn > 0.7 && customer.predicted.value >= 200');
    const predicted = {
      churn: 0.8,
      aliveProbability: 0.2,
      orders90d: 0.1,
      value: 250,
      at: '2026-12-05T00:00:00Z',
    };
    expect(matches(slipping, customer({ predicted }))).toBe(true);
    expect(matches(slipping, customer({ predicted: { ...predicted, churn: 0.5 } }))).toBe(false);
    expect(matches(slipping, customer({ predicted: null }))).toBe(false);
    expect(celToGroup(groupToCel(slipping))).toEqual(slipping);
  });

  it('tests attributes as numbers or text, sign-up age in days, and an empty group is everyone', () => {
    const cases: [Group['items'][number], boolean][] = [
      [{ field: 'attribute:visits', op: '>=', value: '4' }, true],
      [{ field: 'attribute:city', op: 'contains', value: '海' }, true],
      [{ field: 'attribute:member since', op: '==', value: '2020' }, false],
      [{ field: 'attribute:member since', op: 'has', value: '' }, true],
      [{ field: 'attribute:shoe', op: 'lacks', value: '' }, true],
      [{ field: 'createdAt', op: 'within', value: '30' }, true],
      [{ field: 'createdAt', op: 'before', value: '30' }, false],
      [{ field: 'stage', op: '!=', value: 'active' }, false],
    ];
    for (const [rule, expected] of cases) {
      expect(matches({ join: 'all', items: [rule] }, customer()), ruleToCel(rule as never)).toBe(expected);
    }
    expect(groupToCel({ join: 'any', items: [] })).toBe('true');
    expect(matches({ join: 'any', items: [] }, customer())).toBe(true);
  });

  it('names what is missing before anything is saved', () => {
    const problems = groupProblems({
      join: 'all',
      items: [
        { field: 'rfm.orders90', op: '>=', value: 'many' },
        { join: 'any', items: [{ field: 'attribute:', op: '==', value: 'x' }] },
        { field: 'tags', op: 'has', value: ' ' },
      ],
    });
    expect([...problems]).toEqual([
      ['0', 'segments.problem.value'],
      ['1.0', 'segments.problem.field'],
      ['2', 'segments.problem.value'],
    ]);
  });
});

describe('CEL → segment builder', () => {
  it('reads back every condition it writes', () => {
    const read = celToGroup(groupToCel(atRiskChampions));
    expect(read).toEqual(atRiskChampions);
    const odd: Group = {
      join: 'any',
      items: [
        { field: 'attribute:member since', op: '==', value: '2020' },
        { field: 'attribute:city', op: '==', value: 'say "hi"' },
        { field: 'attribute:visits', op: '<', value: '-3' },
        { field: 'createdAt', op: 'before', value: '365' },
        { field: 'consent:sms', op: 'lacks', value: '' },
        {
          join: 'all',
          items: [
            { field: 'locale', op: 'has', value: '' },
            { field: 'tags', op: 'has', value: '会员' },
          ],
        },
      ],
    };
    expect(celToGroup(groupToCel(odd))).toEqual(odd);
    expect(celToGroup('true')).toEqual({ join: 'all', items: [] });
  });

  it('leaves hand-written CEL as CEL rather than change its meaning', () => {
    for (const cel of [
      'customer.rfm.orders90 >= 3', // no fallback: a builder rule would also match customers without orders
      'customer.attributes.zip == "200000"', // a number-looking text the builder would write as a number
      'size(customer.tags) > 2',
      'customer.stage == "active" && event.type == "x"',
      'customer.stage == ',
    ]) {
      expect(celToGroup(cel), cel).toBeNull();
    }
  });
});
