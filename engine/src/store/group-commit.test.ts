import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('GroupCommit', () => {
  it('writes a lone submission at once, and what arrives meanwhile together in the next write', async () => {
    const writes: number[][] = [];
    const group = new GroupCommit<number, number>(async (items) => {
      writes.push(items);
      await tick();
      return items.map((n) => n * 10);
    });
    const first = group.submit(1);
    const rest = [group.submit(2), group.submit(3), group.submit(4)];
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('says when everything submitted is written', async () => {
    const written: number[] = [];
    const group = new GroupCommit<number, void>(async (items) => {
      await tick();
      written.push(...items);
      return items.map(() => undefined);
    });
    void group.submit(1);
    void group.submit(2);
    await group.idle();
    expect(written).toEqual([1, 2]);
    await group.idle();
  });

  it('bounds a write to maxItems', async () => {
    const writes: number[][] = [];
    const group = new GroupCommit<number, number>(async (items) => {
      writes.push(items);
      await tick();
      return items;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => group.submit(n)));
    expect(writes.map((w) => w.length)).toEqual([1, 2, 2]);
  });

  it('fails only the submission that cannot be written when a shared write fails', async () => {
    const group = new GroupCommit<number, number>(async (items) => {
      await tick();
      if (items.includes(13)) throw new Error('13 refused');
      return items;
    });
    const blocker = group.submit(0);
    const answers = await Promise.allSettled([group.submit(12), group.submit(13), group.submit(14)]);
    await blocker;
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((answers[1] as PromiseRejectedResult).reason.message).toBe('13 refused');
  });
});
