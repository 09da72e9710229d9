import { describe, expect, it } from 'vitest';
import { SERVER_YOUNG_GENERATION_FLAG, tuneYoungGeneration, youngGenerationFlag } from './heap.js';

describe('young generation of the odoo-sync process', () => {
  it('keeps it at its initial size for the commands that keep a server running', () => {
    expect(SERVER_YOUNG_GENERATION_FLAG).toBe('--semi-space-growth-factor=1');
    for (const command of ['serve', 'demo', undefined]) {
      const set: string[] = [];
      expect(tuneYoungGeneration((flags) => set.push(flags), command, [], undefined)).toBe('--semi-space-growth-factor=1');
      expect(set).toEqual(['--semi-space-growth-factor=1']);
    }
  });

  it('leaves it alone for the commands that run once and exit', () => {
    for (const command of ['sync', 'apikey', '--help']) {
      const set: string[] = [];
      expect(tuneYoungGeneration((flags) => set.push(flags), command, [], undefined)).toBeNull();
      expect(set).toEqual([]);
    }
  });

  it("leaves it alone when Node was started with a young-generation option of the operator's", () => {
    for (const [execArgv, nodeOptions] of [
      [[], '--max-semi-space-size=4'],
      [[], '--heap-growing-percent=50  --semi_space_growth_factor=2'],
      [['--min-semi-space-size=2'], undefined],
      [['--optimize-for-size'], ''],
    ] as const) {
      expect(youngGenerationFlag('serve', execArgv, nodeOptions)).toBeNull();
    }
  });

  it('other Node options do not count as a choice', () => {
    expect(youngGenerationFlag('serve', ['--max-old-space-size=512'], '--heap-growing-percent=50 --max-semi-space-sizes')).toBe(
      '--semi-space-growth-factor=1',
    );
  });
});
