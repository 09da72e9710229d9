import { describe, expect, it } from 'vitest';
import { readAhead } from './run-support.js';

function counted(items: number[], failAt?: number) {
  const state = { pulled: 0, closed: false };
  async function* source() {
    try {
      for (const item of items) {
        state.pulled++;
        await new Promise((resolve) => setImmediate(resolve));
        if (item === failAt) throw new Error(`page ${item} failed`);
        yield item;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, iterable: source() };
}

describe('readAhead', () => {
  it('yields every item in order', async () => {
    const { iterable, state } = counted([1, 2, 3, 4]);
    const seen: number[] = [];
    for await (const item of readAhead(iterable)) seen.push(item);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(state.closed).toBe(true);
  });

  it('reads the next item while the caller works on the current one, and no further', async () => {
    const { iterable, state } = counted([1, 2, 3, 4]);
    const pulledWhileHolding: number[] = [];
    for await (const item of readAhead(iterable)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      pulledWhileHolding.push(state.pulled - item);
    }
    // While holding item n the source had started item n+1 (the last one has nothing after it).
    expect(pulledWhileHolding).toEqual([1, 1, 1, 0]);
  });

  it('reads `depth` items ahead, and no further', async () => {
    const { iterable, state } = counted([1, 2, 3, 4, 5]);
    const pulledWhileHolding: number[] = [];
    for await (const item of readAhead(iterable, 2)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      pulledWhileHolding.push(state.pulled - item);
    }
    expect(pulledWhileHolding).toEqual([2, 2, 2, 1, 0]);
    await expect(readAhead(counted([1]).iterable, 0).next()).rejects.toThrow(TypeError);
  });

  it('surfaces a read-ahead failure only when the caller asks for that item', async () => {
    const { iterable } = counted([1, 2, 3, 4], 3);
    const applied: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(iterable)) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          applied.push(item);
        }
      })(),
    ).rejects.toThrow('page 3 failed');
    expect(applied).toEqual([1, 2]);
  });

  it('closes the source when the caller stops early', async () => {
    const { iterable, state } = counted([1, 2, 3, 4]);
    for await (const item of readAhead(iterable)) {
      if (item === 2) break;
    }
    expect(state.closed).toBe(true);
    expect(state.pulled).toBeLessThanOrEqual(3);
  });
});
