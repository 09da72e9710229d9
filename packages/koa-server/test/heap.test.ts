import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapFlag, tuneHeap } from '../src/runtime/heap.js';

describe('heap tuning of the odoo-sync process', () => {
  it('asks V8 to grow the heap by a fifth of what is live, not four times', () => {
    expect(HEAP_GROWING_PERCENT).toBe(20);
    const set: string[] = [];
    expect(tuneHeap((flags) => set.push(flags), [], undefined)).toBe('--heap-growing-percent=20');
    expect(set).toEqual(['--heap-growing-percent=20']);
  });

  it("leaves the heap alone when Node was started with a heap-growth option of the operator's", () => {
    for (const [execArgv, nodeOptions] of [
      [[], '--heap-growing-percent=50'],
      [[], '--max-semi-space-size=4  --optimize-for-size'],
      [['--heap_growing_percent=10'], undefined],
      [['--optimize-for-size'], ''],
    ] as const) {
      const set: string[] = [];
      expect(tuneHeap((flags) => set.push(flags), execArgv, nodeOptions)).toBeNull();
      expect(set).toEqual([]);
    }
  });

  it('other Node options do not count as a choice', () => {
    expect(heapFlag(['--conditions=@odoo-sync/source', '--max-old-space-size=512'], '--max-semi-space-size=4 --heap-growing-percentage')).toBe(
      '--heap-growing-percent=20',
    );
  });
});
