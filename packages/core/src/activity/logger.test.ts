import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { Logger } from '../logger.js';
import { MemoryStore } from '../memory-store.js';
import type { Activity, ActivityStore } from '../ports.js';
import { type ActivityDropReason, ActivityLogger } from './logger.js';

/** A real MemoryStore whose writes can be made to fail, or held until released. */
class FlakyStore extends MemoryStore {
  failing = false;
  appendCalls: number[] = [];
  #gate: Promise<void> | null = null;
  #open: (() => void) | null = null;

  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  release(): void {
    this.#open?.();
    this.#gate = null;
  }

  override async appendActivities(activities: readonly Activity[]): Promise<void> {
    this.appendCalls.push(activities.length);
    if (this.#gate) await this.#gate;
    if (this.failing) throw new Error('disk full (token=abc123)');
    return super.appendActivities(activities);
  }
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (fields: Record<string, unknown>, message: string) => lines.push(`${message} ${JSON.stringify(fields)}`);
  return { lines, debug: push, info: push, warn: push, error: push };
}

const view = (n: number) => ({ activityType: 'account_viewed_360', title: `Viewed account ${n}`, entityType: 'account', entityId: n, userId: 'u1' });

async function all(store: ActivityStore): Promise<Activity[]> {
  const out: Activity[] = [];
  for await (const activity of store.streamActivities()) out.push(activity);
  return out;
}

describe('ActivityLogger', () => {
  it('records durably with a time-ordered id, source app and the clock as timestamp', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-05-01T10:00:00.000Z');
    const logger = new ActivityLogger({ store, clock });
    const first = await logger.record({
      activityType: 'opportunity_created',
      title: 'Created opportunity: Cloud Migration Project',
      entityType: 'opportunity',
      entityId: 42,
      userId: 'u1',
      userName: 'Ana Souza',
    });
    const second = await logger.record({ activityType: 'opportunity_won', title: 'Won opportunity: Cloud Migration Project' });
    expect(first).toMatchObject({ entityId: '42', source: 'app', timestamp: '2026-05-01T10:00:00.000Z', metadata: {} });
    expect(first.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(second.id > first.id).toBe(true);
    expect((await store.queryActivities()).items.map((a) => a.id)).toEqual([second.id, first.id]);
    expect(logger.stats.written).toBe(2);
    await logger.close();
  });

  it('writes concurrent record() calls together in batches', async () => {
    const store = new FlakyStore();
    const logger = new ActivityLogger({ store, batchSize: 3 });
    const stored = await Promise.all(Array.from({ length: 7 }, (_, i) => logger.record(view(i))));
    expect(store.appendCalls).toEqual([3, 3, 1]);
    expect((await all(store)).map((a) => a.id).sort()).toEqual(stored.map((a) => a.id).sort());
    await logger.close();
  });

  it('rejects invalid events with input_invalid: unknown type, empty title, stray fields, bad dates', async () => {
    const logger = new ActivityLogger({ store: new MemoryStore() });
    await expect(logger.record({ activityType: 'opportunity_teleported', title: 'x' })).rejects.toMatchObject({ code: 'input_invalid' });
    await expect(logger.record({ activityType: 'call', title: '   ' })).rejects.toMatchObject({ code: 'input_invalid' });
    await expect(logger.record({ activityType: 'call', title: 't', timestamp: 'yesterday-ish' })).rejects.toMatchObject({ code: 'input_invalid' });
    await expect(logger.record({ activityType: 'call', title: 't', color: 'red' } as never)).rejects.toMatchObject({ code: 'input_invalid' });
    await expect(
      logger.record({ activityType: 'call', title: 't', metadata: { blob: 'x'.repeat(20_000) } }),
    ).rejects.toMatchObject({ code: 'input_invalid' });
    await logger.close();
  });

  it('accepts the types an embedder registers, and refuses badly named ones', async () => {
    const store = new MemoryStore();
    const logger = new ActivityLogger({ store, extraTypes: ['quote_sent'] });
    expect(logger.knowsType('quote_sent')).toBe(true);
    await logger.record({ activityType: 'quote_sent', title: 'Sent quote Q-12', source: 'odoo', id: 'odoo:sale.order:12' });
    expect((await store.queryActivities()).items[0]).toMatchObject({ id: 'odoo:sale.order:12', activityType: 'quote_sent', source: 'odoo' });
    expect(() => new ActivityLogger({ store, extraTypes: ['Quote Sent'] })).toThrow(TypeError);
    await logger.close();
  });

  it('never stores metadata keys that name secrets, at any depth', async () => {
    const store = new MemoryStore();
    const log = recordingLogger();
    const logger = new ActivityLogger({ store, logger: log });
    await logger.record({
      activityType: 'api_key_created',
      title: 'Created API key "ci"',
      metadata: {
        label: 'ci',
        apiKey: 'osk_live_123',
        nested: { accessToken: 'eyJ', list: [{ client_secret: 's3', keep: 1 }], Password: 'hunter2' },
        before: { name: 'Acme' },
        after: { name: 'Acme AG', 'X-Api-Key': 'k' },
      },
    });
    const [stored] = (await store.queryActivities()).items;
    expect(stored?.metadata).toEqual({ label: 'ci', nested: { list: [{ keep: 1 }] }, before: { name: 'Acme' }, after: { name: 'Acme AG' } });
    const dump = JSON.stringify(store.inspect ? await store.inspect.dumpText() : '');
    for (const secret of ['osk_live_123', 'eyJ', 's3', 'hunter2']) {
      expect(dump).not.toContain(secret);
      expect(log.lines.join('\n')).not.toContain(secret);
    }
    expect(logger.stats.redactedKeys).toBe(5);
    await logger.close();
  });

  it('enqueue never waits: batches are written when full, on the timer, and on close', async () => {
    const store = new FlakyStore();
    const clock = new ManualClock();
    const logger = new ActivityLogger({ store, clock, batchSize: 4, flushIntervalMs: 1000 });
    for (let i = 0; i < 5; i++) expect(logger.enqueue(view(i))).toBe(true);
    await clock.advance(0);
    expect(store.appendCalls).toEqual([4]);
    expect(logger.stats.queued).toBe(1);
    await clock.advance(999);
    expect(store.appendCalls).toEqual([4]);
    await clock.advance(1);
    expect(store.appendCalls).toEqual([4, 1]);
    logger.enqueue(view(9));
    await logger.close();
    expect(store.appendCalls).toEqual([4, 1, 1]);
    expect((await all(store)).length).toBe(6);
    expect(logger.enqueue(view(10))).toBe(false);
    await expect(logger.record(view(11))).rejects.toMatchObject({ code: 'store_error' });
    expect(logger.stats.dropped.closed).toBe(2);
    await logger.close();
  });

  it('drops and counts when the queue is full or the store fails, and logs without metadata', async () => {
    const store = new FlakyStore();
    const clock = new ManualClock();
    const log = recordingLogger();
    const logger = new ActivityLogger({ store, clock, logger: log, queueLimit: 3, batchSize: 100 });
    const dropped: Array<{ reason: ActivityDropReason; count: number }> = [];
    logger.on('dropped', (event) => dropped.push(event));
    const results = Array.from({ length: 5 }, (_, i) => logger.enqueue({ ...view(i), metadata: { note: `private-${i}` } }));
    expect(results).toEqual([true, true, true, false, false]);
    expect(logger.enqueue({ activityType: 'nope', title: 'x' })).toBe(false);
    store.failing = true;
    await logger.flush();
    expect(logger.stats).toMatchObject({ written: 0, queued: 0, dropped: { queue_full: 2, invalid: 1, store_failed: 3, closed: 0 } });
    expect(dropped).toEqual([
      { reason: 'queue_full', count: 1 },
      { reason: 'queue_full', count: 1 },
      { reason: 'invalid', count: 1 },
      { reason: 'store_failed', count: 3 },
    ]);
    await expect(logger.record(view(7))).rejects.toMatchObject({ code: 'store_error' });
    expect(logger.stats.dropped.store_failed).toBe(4);
    const text = log.lines.join('\n');
    expect(text).toContain('could not store activities');
    expect(text).not.toContain('private-');
    store.failing = false;
    expect(logger.enqueue(view(8))).toBe(true);
    await logger.close();
    expect((await all(store)).map((a) => a.entityId)).toEqual(['8']);
  });

  it('close() waits for a durable write under way and for a queued batch being written', async () => {
    const store = new FlakyStore();
    const logger = new ActivityLogger({ store });
    store.hold();
    const recorded = logger.record(view(1));
    logger.enqueue(view(2));
    let closed = false;
    const closing = logger.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    store.release();
    await closing;
    await recorded;
    expect((await all(store)).length).toBe(2);
  });
});
