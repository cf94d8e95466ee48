import { describe, expect, it } from 'vitest';
import { KEY_CACHE_MS, KeyCache } from './key-cache.ts';

const key = { id: 'k1', name: 'shop', role: 'ingest' };
const at = (ms: number) => new Date(Date.parse('2026-12-06T10:00:00Z') + ms);

describe('the API key cache', () => {
  it('keeps a key it was given for a few seconds on the engine clock, then asks again', () => {
    const cache = new KeyCache();
    cache.set('h1', key, at(0));
    expect(cache.get('h1', at(KEY_CACHE_MS - 1))).toEqual(key);
    expect(cache.get('h1', at(KEY_CACHE_MS))).toBeUndefined();
    expect(cache.get('h2', at(0))).toBeUndefined();
  });

  it('forgets a revoked key at once, by its id', () => {
    const cache = new KeyCache();
    cache.set('h1', key, at(0));
    cache.set('h2', { ...key, id: 'k2' }, at(0));
    cache.forget('k1');
    expect(cache.get('h1', at(1))).toBeUndefined();
    expect(cache.get('h2', at(1))).toMatchObject({ id: 'k2' });
  });

  it('does not keep a key longer when the clock moves back', () => {
    const cache = new KeyCache();
    cache.set('h1', key, at(0));
    expect(cache.get('h1', at(-60_000))).toBeUndefined();
  });
});
