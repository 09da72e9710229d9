import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SERVER_YOUNG_GENERATION_FLAG, tuneYoungGeneration, youngGenerationFlag, type WorkerEvents } from './heap.js';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));
const HEAP = fileURLToPath(new URL('./heap.ts', import.meta.url));

/** Worker events that never come (the real `process` would keep the listener). */
const noWorkers: WorkerEvents = { on: () => undefined };

describe('young generation of the odoo-sync process', () => {
  it('keeps it at its initial size for the commands that keep a server running', () => {
    expect(SERVER_YOUNG_GENERATION_FLAG).toBe('--semi-space-growth-factor=1');
    for (const command of ['serve', 'demo', undefined]) {
      const set: string[] = [];
      expect(tuneYoungGeneration((flags) => set.push(flags), command, [], undefined, noWorkers)).toBe('--semi-space-growth-factor=1');
      expect(set).toEqual(['--semi-space-growth-factor=1']);
    }
  });

  it('sets it again once a worker thread runs, which makes V8 reset it for the whole process', () => {
    let started: ((worker: { once(event: 'online', listener: () => void): unknown }) => void) | undefined;
    const set: string[] = [];
    tuneYoungGeneration((flags) => set.push(flags), 'serve', [], undefined, { on: (_event, listener) => (started = listener) });
    let online: (() => void) | undefined;
    started?.({ once: (_event, listener) => (online = listener) });
    expect(set).toEqual(['--semi-space-growth-factor=1']);
    online?.();
    expect(set).toEqual(['--semi-space-growth-factor=1', '--semi-space-growth-factor=1']);
  });

  it('keeps it at its initial size in a real process after a worker thread has run', async () => {
    const script = `
      import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
      import { Worker } from 'node:worker_threads';
      const { tuneYoungGeneration } = await import(${JSON.stringify(HEAP)});
      tuneYoungGeneration(setFlagsFromString, 'serve', [], undefined);
      const newSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
      const churn = () => { let kept = []; for (let i = 0; i < 2e6; i++) { kept.push({ i }); if (kept.length > 50000) kept = []; } };
      churn();
      const before = newSpace();
      const worker = new Worker('setTimeout(() => {}, 20)', { eval: true });
      await new Promise((resolve) => worker.once('exit', resolve));
      churn();
      process.stdout.write(JSON.stringify({ before, after: newSpace() }));
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: HERE, env: { PATH: process.env['PATH'] } });
    const { before, after } = JSON.parse(stdout) as { before: number; after: number };
    expect(after).toBe(before);
  }, 60_000);

  it('keeps it small for a one-off sync too', () => {
    const set: string[] = [];
    expect(tuneYoungGeneration((flags) => set.push(flags), 'sync', [], undefined, noWorkers)).toBe('--semi-space-growth-factor=1');
    expect(set).toEqual(['--semi-space-growth-factor=1']);
  });

  it('leaves it alone for the commands that do not sync', () => {
    for (const command of ['apikey', '--help']) {
      const set: string[] = [];
      expect(tuneYoungGeneration((flags) => set.push(flags), command, [], undefined, noWorkers)).toBeNull();
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
