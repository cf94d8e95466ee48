import { describe, expect, it } from 'vitest';
import { walPosition, walText } from './wal-position.ts';

describe('WAL positions', () => {
  it('reads and writes PostgreSQL’s notation, ordered as the log is', () => {
    expect(walPosition('0/16B3748')).toBe(0x16b3748n);
    expect(walPosition('1/0')).toBe(1n << 32n);
    expect((walPosition('1/0') as bigint) > (walPosition('0/FFFFFFFF') as bigint)).toBe(true);
    expect(walText(walPosition('2A/B374D848') as bigint)).toBe('2A/B374D848');
  });
  it('refuses what is not a position', () => {
    for (const bad of ['', '16B3748', '0/', 'x/1', '0/123456789', '1/2/3'])
      expect(walPosition(bad)).toBeNull();
  });
});
