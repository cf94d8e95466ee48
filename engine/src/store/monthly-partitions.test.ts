import { describe, expect, it } from 'vitest';
import { EVENTS } from './event-partitions.ts';
import { monthBucket, partitionName } from './monthly-partitions.ts';

describe('month buckets', () => {
  it('are the first day of the UTC month, whatever the hour', () => {
    expect(monthBucket(new Date('2031-03-31T23:59:59.999Z'))).toBe('2031-03-01');
    expect(monthBucket(new Date('2031-04-01T00:00:00Z'))).toBe('2031-04-01');
    // Before 08:00 in Shanghai on 1 April it is still March in UTC: buckets follow no local zone.
    expect(monthBucket(new Date('2031-04-01T08:00:00+08:00'))).toBe('2031-04-01');
    expect(monthBucket(new Date('2031-04-01T07:59:59+08:00'))).toBe('2031-03-01');
  });

  it('count months across years, both ways', () => {
    const at = new Date('2031-01-15T12:00:00Z');
    expect(monthBucket(at, -1)).toBe('2030-12-01');
    expect(monthBucket(at, 12)).toBe('2032-01-01');
    expect(monthBucket(new Date('2031-03-31T12:00:00Z'), -1)).toBe('2031-02-01');
  });

  it('name their partitions', () => {
    expect(partitionName(EVENTS, '2031-03-01')).toBe('events_2031_03');
  });
});
