import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { StoreError } from '../src/errors.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import type { RecordWrite } from '../src/model.js';
import type { EntityName } from '../src/entities/entities.js';
import type { ReadChangedOptions, SourceQuery } from '../src/ports.js';
import { Reconciler } from '../src/sync/reconciler.js';
import { partner } from './partners.js';

/** A store whose record writes finish only when the test says so, like one writing on another thread. */
class DeferredWriteStore extends MemoryStore {
  readonly events: string[] = [];
  readonly held: Array<() => void> = [];
  fail: ((writeNumber: number) => Error | null) | null = null;
  #writes = 0;

  override async getStates(entity: EntityName, ids: readonly number[]) {
    this.events.push(`states ${ids[0]}`);
    return super.getStates(entity, ids);
  }

  override async upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void> {
    const number = ++this.#writes;
    this.events.push(`write ${writes[0]?.odooId} started`);
    await new Promise<void>((resolve) => this.held.push(resolve));
    const error = this.fail?.(number) ?? null;
    if (error) {
      this.events.push(`write ${writes[0]?.odooId} failed`);
      throw error;
    }
    await super.upsertRecords(entity, writes, at);
    this.events.push(`write ${writes[0]?.odooId} committed`);
  }

  override async setCursor(entity: EntityName, cursor: string): Promise<void> {
    this.events.push(`cursor ${cursor}`);
    return super.setCursor(entity, cursor);
  }
}

/** Counts the pages the Reconciler has pulled from the source. */
class CountingSource extends MemorySource {
  pulled = 0;
  override async *readChanged(query: SourceQuery, options: ReadChangedOptions) {
    for await (const page of super.readChanged(query, options)) {
      this.pulled++;
      yield page;
    }
  }
}

function setup() {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const source = new CountingSource({ clock });
  const store = new DeferredWriteStore();
  const reconciler = new Reconciler({ source, store, clock, entities: ['contact'], pageSize: 10, idPageSize: 100, overlapMs: 0, retry: false });
  return { clock, source, store, reconciler };
}

/** Lets every pending promise and timer-free continuation run. */
async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Releases held writes one at a time until the run ends. */
async function releaseAll(store: DeferredWriteStore, run: Promise<unknown>) {
  let done = false;
  void run.finally(() => (done = true));
  while (!done) {
    await settle();
    store.held.shift()?.();
  }
}

describe('Reconciler page pipeline', () => {
  it('reads and maps the next pages while the previous page is being written', async () => {
    const { source, store, reconciler } = setup();
    for (let id = 1; id <= 50; id++) source.write('res.partner', partner(id));
    const run = reconciler.run({ mode: 'full' });
    await settle();
    // Page 1 is being written; page 2 was taken by the loop and mapped (it waits for that write
    // before reading its stored states), and pages 3 and 4 are already asked for.
    expect(store.events).toEqual(['states 1', 'write 1 started']);
    expect(source.pulled).toBe(4);
    await releaseAll(store, run);
    const result = await run;
    expect(result.status).toBe('success');
    // Each page reads its states and is written only after the page before it is written.
    expect(store.events.filter((event) => !event.startsWith('cursor'))).toEqual(
      [1, 11, 21, 31, 41].flatMap((first) => [`states ${first}`, `write ${first} started`, `write ${first} committed`]),
    );
    expect(result.entries[0]?.counts).toMatchObject({ fetched: 50, inserted: 50 });
    expect(await store.countRecords('contact')).toMatchObject({ active: 50 });
  });

  it('plans a record read again on the next page against what the page before it wrote', async () => {
    const { source, store, reconciler } = setup();
    for (let id = 1; id <= 19; id++) source.write('res.partner', partner(id));
    // Odoo changed record 5 while the pages were read: it comes on page 1 and again on page 2.
    source.readChanged = async function* () {
      yield Array.from({ length: 10 }, (_, i) => partner(i + 1));
      yield [partner(5, { name: 'Renamed 5' }), ...Array.from({ length: 9 }, (_, i) => partner(i + 11))];
    };
    const run = reconciler.run({ mode: 'full' });
    await releaseAll(store, run);
    const result = await run;
    expect(result.entries[0]?.error ?? null).toBeNull();
    expect(result.status).toBe('success');
    expect(result.entries[0]?.counts).toMatchObject({ fetched: 20, inserted: 19, updated: 1 });
    expect((await store.getRecord('contact', 5))?.data).toMatchObject({ name: 'Renamed 5' });
  });

  it('a failed write fails the entity: nothing after it is written and the cursor stays behind it', async () => {
    const { clock, source, store, reconciler } = setup();
    for (let id = 1; id <= 5; id++) source.write('res.partner', partner(id));
    const first = reconciler.run();
    await releaseAll(store, first);
    expect((await first).status).toBe('success');
    for (let id = 1; id <= 30; id++) {
      await clock.advance(1000);
      source.write('res.partner', { id, name: `Renamed ${id}` });
    }
    store.events.length = 0;
    store.fail = (number) => (number === 3 ? new StoreError('disk full', { retryable: false }) : null);
    const second = reconciler.run();
    await releaseAll(store, second);
    const result = await second;
    expect(result.status).toBe('failed');
    expect(result.entries[0]?.error).toMatchObject({ code: 'store_error', message: expect.stringContaining('disk full') });
    // Page 1 (ids 1–10) writes its inserts (6–10) first. The second page's write failed: the third page was read but never written, and the
    // cursor stands at the first page's last write (10:00:10).
    expect(store.events.filter((event) => event.startsWith('write'))).toEqual(['write 6 started', 'write 6 committed', 'write 11 started', 'write 11 failed']);
    expect(await store.getCursor('contact')).toBe('2026-03-01T10:00:10.000Z');
    expect(result.entries[0]?.cursorAfter).toBe('2026-03-01T10:00:10.000Z');
    expect(result.entries[0]?.counts).toMatchObject({ inserted: 5, updated: 5 });
    expect(await store.getRecord('contact', 11)).toBeNull();
  });

  it('checkpoints the cursor after the page it covers is written, never before', async () => {
    const { clock, source, store, reconciler } = setup();
    for (let id = 1; id <= 5; id++) source.write('res.partner', partner(id));
    const first = reconciler.run();
    await releaseAll(store, first);
    for (let id = 1; id <= 20; id++) {
      await clock.advance(1000);
      source.write('res.partner', { id, name: `Renamed ${id}` });
    }
    store.events.length = 0;
    const second = reconciler.run();
    await releaseAll(store, second);
    expect((await second).status).toBe('success');
    const events = store.events.filter((event) => !event.startsWith('states'));
    expect(events.slice(0, 6)).toEqual([
      'write 6 started',
      'write 6 committed',
      'cursor 2026-03-01T10:00:10.000Z',
      'write 11 started',
      'write 11 committed',
      'cursor 2026-03-01T10:00:20.000Z',
    ]);
  });
});
