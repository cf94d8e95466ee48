import { describe, expect, it } from 'vitest';
import { fullScale } from './routes.ts';

describe('fullScale', () => {
  it('lists every point of an NPS or CSAT scale, with zeros for scores nobody gave', () => {
    const nps = fullScale('nps', [
      { score: 3, count: 1 },
      { score: 9, count: 2 },
    ]);
    expect(nps.map((d) => d.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(nps[3]).toEqual({ score: 3, count: 1 });
    expect(nps[9]).toEqual({ score: 9, count: 2 });
    expect(nps[10]).toEqual({ score: 10, count: 0 });
    expect(fullScale('csat', []).map((d) => d.score)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps the given scores of a survey without a scale', () => {
    expect(fullScale('custom', [{ score: 2, count: 1 }])).toEqual([{ score: 2, count: 1 }]);
  });
});
