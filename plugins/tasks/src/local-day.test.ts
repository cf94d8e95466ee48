import { describe, expect, it } from 'vitest';
import { endOfLocalDay } from './local-day.ts';

describe('endOfLocalDay', () => {
  it('is the next midnight on the wall clock of the zone', () => {
    const now = new Date('2026-03-10T15:30:00Z');
    // 23:30 in Shanghai: the day ends half an hour later.
    expect(endOfLocalDay(now, 'Asia/Shanghai').toISOString()).toBe('2026-03-10T16:00:00.000Z');
    // 15:30 in London (GMT): midnight there.
    expect(endOfLocalDay(now, 'Europe/London').toISOString()).toBe('2026-03-11T00:00:00.000Z');
    // 11:30 in New York (EDT since 8 March).
    expect(endOfLocalDay(now, 'America/New_York').toISOString()).toBe('2026-03-11T04:00:00.000Z');
  });

  it('crosses a daylight-saving change at the right hour', () => {
    // 7 March in New York is EST (UTC−5); midnight of the 8th is still EST.
    expect(endOfLocalDay(new Date('2026-03-07T20:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
  });
});
