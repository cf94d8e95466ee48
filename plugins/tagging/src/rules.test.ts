import { describe, expect, it } from 'vitest';
import { tagChange } from './rules.ts';

const customer = (over: Record<string, unknown>) => ({
  id: 'c1',
  attributes: {},
  tags: [] as string[],
  timezone: null,
  ...over,
});

describe('tag rules', () => {
  it('follows the stage, replacing the old stage tag', () => {
    const c = customer({ stage: 'at-risk', tags: ['stage:active', 'vip'] });
    expect(tagChange(c, [{ prefix: 'stage:', source: 'stage' }])).toEqual({
      add: ['stage:at-risk'],
      remove: ['stage:active'],
    });
  });

  it('puts amounts in tiers and leaves unrelated tags alone', () => {
    const tiers = [
      { name: 'low', min: 0 },
      { name: 'mid', min: 1000 },
      { name: 'high', min: 5000 },
    ];
    const c = customer({ attributes: { totalSpent: 1200 }, tags: ['spend:low', 'newsletter'] });
    expect(tagChange(c, [{ prefix: 'spend:', source: 'attributes.totalSpent', tiers }])).toEqual({
      add: ['spend:mid'],
      remove: ['spend:low'],
    });
  });

  it('reads the RFM segment when present, and removes the tag when the value is gone', () => {
    expect(
      tagChange(customer({ rfm: { segment: 'Champions' } }), [{ prefix: 'rfm:', source: 'rfm.segment' }]),
    ).toEqual({ add: ['rfm:champions'], remove: [] });
    expect(tagChange(customer({ tags: ['rfm:lost'] }), [{ prefix: 'rfm:', source: 'rfm.segment' }])).toEqual({
      add: [],
      remove: ['rfm:lost'],
    });
  });
});
