import { describe, expect, it } from 'vitest';
import { GroupCommit, type ItemOutcome } from './group-commit.js';

function deferred() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { released, release };
}

describe('GroupCommit', () => {
  it('writes a lone item at once and batches what arrives while a write is in flight', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const commit = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate.released;
      return items.map((n) => ({ ok: true, value: n * 10 }));
    }, 100);

    const first = commit.submit(1);
    const rest = [2, 3, 4].map((n) => commit.submit(n));
    expect(batches).toEqual([[1]]);
    gate.release();

    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('splits a backlog into batches of at most maxBatch items', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => ({ ok: true, value: n }));
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => commit.submit(n)));
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails only the item the writer reports as failed, and the whole batch when the write throws', async () => {
    let throwNext = false;
    const commit = new GroupCommit<number, number>(async (items): Promise<ItemOutcome<number>[]> => {
      if (throwNext) throw new Error('database unreachable');
      return items.map((n) => (n === 2 ? { ok: false, error: new Error('row 2 refused') } : { ok: true, value: n }));
    }, 10);

    const results = await Promise.allSettled([commit.submit(1), commit.submit(2), commit.submit(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('row 2 refused');

    throwNext = true;
    await expect(commit.submit(4)).rejects.toThrow('database unreachable');
    throwNext = false;
    await expect(commit.submit(5)).resolves.toBe(5);
  });

  it('drain() waits for every submitted item', async () => {
    const written: number[] = [];
    const commit = new GroupCommit<number, void>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written.push(...items);
      return items.map(() => ({ ok: true, value: undefined }));
    }, 10);
    for (const n of [1, 2, 3]) void commit.submit(n);
    await commit.drain();
    expect(written).toEqual([1, 2, 3]);
  });
});
