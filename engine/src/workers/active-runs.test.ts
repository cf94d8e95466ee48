import { describe, expect, it } from 'vitest';
import type { RunRow } from '../store/runs.ts';
import { ActiveRuns } from './active-runs.ts';

const run = (id: string, customerId: string) => ({ id, customerId }) as RunRow;

describe('ActiveRuns', () => {
  it("finds a customer's runs by slot and by customer, in the order they came", () => {
    const active = new ActiveRuns();
    active.set('welcome/ann', run('r1', 'ann'));
    active.set('welcome/bob', run('r2', 'bob'));
    active.set('cart/ann/c1', run('r3', 'ann'));
    expect(active.of('ann').map((r) => r.id)).toEqual(['r1', 'r3']);
    expect(active.of('bob').map((r) => r.id)).toEqual(['r2']);
    expect(active.of('cy')).toEqual([]);
    expect(active.get('cart/ann/c1')?.id).toBe('r3');
  });

  it('forgets a run whose slot is deleted or taken by another run', () => {
    const active = new ActiveRuns();
    active.set('welcome/ann', run('r1', 'ann'));
    active.set('cart/ann/c1', run('r2', 'ann'));
    expect(active.delete('welcome/ann')).toBe(true);
    active.set('cart/ann/c1', run('r3', 'ann'));
    expect(active.of('ann').map((r) => r.id)).toEqual(['r3']);
    expect(active.size).toBe(1);
  });

  it('hands out a copy, so runs can end while it is being gone through', () => {
    const active = new ActiveRuns();
    active.set('welcome/ann', run('r1', 'ann'));
    active.set('cart/ann/c1', run('r2', 'ann'));
    const seen = [];
    for (const r of active.of('ann')) {
      seen.push(r.id);
      active.delete(r.id === 'r1' ? 'welcome/ann' : 'cart/ann/c1');
    }
    expect(seen).toEqual(['r1', 'r2']);
    expect(active.of('ann')).toEqual([]);
  });
});
