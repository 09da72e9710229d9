import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import type { EntityName, OdooRow } from '../src/entities/entities.js';
import { InputError, NotifierError, OdooTransportError, StoreError, SyncInProgressError } from '../src/errors.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import type { RunOptions, RunResult, SyncRunner } from '../src/model.js';
import type { Alert, Notifier, ReadChangedOptions, SourceQuery, SourceReader } from '../src/ports.js';
import { Reconciler } from '../src/sync/reconciler.js';
import { SyncScheduler } from '../src/scheduling/scheduler.js';
import { INTERVAL_SETTING, SCHEDULER_LEASE, type SyncSchedulerOptions } from '../src/scheduling/scheduler-types.js';
import { HEALTH_SETTING } from '../src/scheduling/sync-health.js';

const MINUTE = 60_000;
const schedulers: SyncScheduler[] = [];

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
});

/** A runner whose runs the test finishes by hand, recording every call and overlap. */
class FakeRunner implements SyncRunner {
  calls: RunOptions[] = [];
  active = 0;
  maxActive = 0;
  outcome: 'success' | 'failed' | Error = 'success';
  #pending: { resolve: () => void; options: RunOptions }[] = [];
  hold = false;
  constructor(private readonly clock: ManualClock) {}

  async run(options: RunOptions = {}): Promise<RunResult> {
    this.calls.push(options);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.hold) {
        await new Promise<void>((resolve) => {
          this.#pending.push({ resolve, options });
          options.signal?.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      const outcome = this.outcome;
      if (outcome instanceof Error) throw outcome;
      const at = this.clock.now().toISOString();
      return { runId: options.runId ?? 'run', startedAt: at, finishedAt: at, status: outcome, entries: outcome === 'failed' ? [failedEntry(options.runId ?? 'run', at)] : [] };
    } finally {
      this.active--;
    }
  }

  /** Finishes the oldest held run. */
  release(): void {
    this.#pending.shift()?.resolve();
  }

  get held(): number {
    return this.#pending.length;
  }
}

function failedEntry(runId: string, at: string) {
  return {
    id: `${runId}:contact`,
    runId,
    entity: 'contact' as EntityName,
    mode: 'incremental' as const,
    trigger: 'schedule' as const,
    status: 'failed' as const,
    startedAt: at,
    finishedAt: at,
    durationMs: 0,
    counts: { fetched: 0, inserted: 0, updated: 0, unchanged: 0, archived: 0, reactivated: 0, softDeleted: 0, invalid: 0 },
    cursorBefore: null,
    cursorAfter: null,
    error: { code: 'odoo_transport_failed', message: 'Odoo did not answer.', retryable: true },
    skipReason: null,
    invalidRecords: [],
  };
}

function setup(options: Partial<SyncSchedulerOptions> & { store?: MemoryStore; clock?: ManualClock; runner?: SyncRunner } = {}) {
  const clock = options.clock ?? new ManualClock('2026-03-01T10:00:00.000Z');
  const store = options.store ?? new MemoryStore();
  const runner = (options.runner as FakeRunner | undefined) ?? new FakeRunner(clock);
  const alerts: Alert[] = [];
  const notifier: Notifier = options.notifier ?? { notify: async (alert) => void alerts.push(alert) };
  let n = 0;
  const scheduler = new SyncScheduler({
    locks: store,
    settings: store,
    clock,
    jitterRatio: 0,
    retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 1 },
    randomId: () => `id-${++n}-${Math.random().toString(36).slice(2, 8)}`,
    ...options,
    runner,
    notifier,
  });
  schedulers.push(scheduler);
  return { clock, store, runner: runner, scheduler, alerts };
}

/** Lets promise chains started by timers or calls finish. */
async function settle(clock: ManualClock) {
  await clock.advance(0);
}

describe('SyncScheduler: timing', () => {
  it('runs once per interval, with the trigger "schedule", and not before', async () => {
    const { clock, runner, scheduler } = setup();
    await scheduler.start();
    await clock.advance(15 * MINUTE - 1);
    expect(runner.calls).toHaveLength(0);
    await clock.advance(1);
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]?.trigger).toBe('schedule');
    await clock.advance(15 * MINUTE);
    expect(runner.calls).toHaveLength(2);
    expect((await scheduler.status()).nextRunAt).toBe(new Date(clock.now().getTime() + 15 * MINUTE).toISOString());
  });

  it('spreads each interval by the jitter ratio', async () => {
    const low = setup({ jitterRatio: 0.1, random: () => 0 });
    await low.scheduler.start();
    await low.clock.advance(13.5 * MINUTE - 1);
    expect(low.runner.calls).toHaveLength(0);
    await low.clock.advance(1);
    expect(low.runner.calls).toHaveLength(1);

    const high = setup({ jitterRatio: 0.1, random: () => 0.999_999_9 });
    await high.scheduler.start();
    await high.clock.advance(16.4 * MINUTE);
    expect(high.runner.calls).toHaveLength(0);
    await high.clock.advance(0.1 * MINUTE);
    expect(high.runner.calls).toHaveLength(1);
  });

  it('runs at once on start with runOnStart, as a "startup" run', async () => {
    const { clock, runner, scheduler } = setup({ runOnStart: true });
    await scheduler.start();
    await settle(clock);
    expect(runner.calls.map((c) => c.trigger)).toEqual(['startup']);
  });

  it('with runOnStart, a restart right after another replica ran waits for the schedule instead', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const first = setup({ store, clock, runOnStart: true, owner: 'first' });
    await first.scheduler.start();
    await settle(clock);
    expect(first.runner.calls.map((c) => c.trigger)).toEqual(['startup']);
    await first.scheduler.stop();
    await clock.advance(2 * MINUTE);
    const restarted = setup({ store, clock, runOnStart: true, owner: 'restarted' });
    await restarted.scheduler.start();
    await settle(clock);
    expect(restarted.runner.calls).toHaveLength(0);
    // Due one interval after the last run, not after the restart.
    await clock.advance(13 * MINUTE - 1);
    expect(restarted.runner.calls).toHaveLength(0);
    await clock.advance(1);
    expect(restarted.runner.calls.map((c) => c.trigger)).toEqual(['schedule']);
  });

  it('changes the interval at runtime, saves it, and a new scheduler on the same store uses it', async () => {
    const { clock, store, runner, scheduler } = setup();
    await scheduler.start();
    await scheduler.setIntervalMinutes(30);
    expect(scheduler.intervalMinutes).toBe(30);
    expect(await store.getSetting(INTERVAL_SETTING)).toBe(30);
    await clock.advance(29 * MINUTE);
    expect(runner.calls).toHaveLength(0);
    await clock.advance(1 * MINUTE);
    expect(runner.calls).toHaveLength(1);

    const other = setup({ store, clock });
    await other.scheduler.start();
    expect(other.scheduler.intervalMinutes).toBe(30);
  });

  it('rejects intervals outside 5–60 minutes with an InputError and keeps the old one', async () => {
    const { store, scheduler } = setup();
    for (const bad of [4, 61, 7.5, Number.NaN, '15' as unknown as number]) {
      await expect(scheduler.setIntervalMinutes(bad)).rejects.toBeInstanceOf(InputError);
    }
    expect(scheduler.intervalMinutes).toBe(15);
    expect(await store.getSetting(INTERVAL_SETTING)).toBeUndefined();
    expect(() => setup({ intervalMinutes: 2 })).toThrow(TypeError);
  });

  it('adopts an interval another replica saved, at its next tick', async () => {
    const { clock, store, runner, scheduler } = setup();
    await scheduler.start();
    await store.setSetting(INTERVAL_SETTING, 45);
    await clock.advance(15 * MINUTE);
    expect(scheduler.intervalMinutes).toBe(45);
    // The first tick came at 15 minutes; the last run was never, so it runs now, then every 45.
    expect(runner.calls).toHaveLength(1);
    await clock.advance(44 * MINUTE);
    expect(runner.calls).toHaveLength(1);
    await clock.advance(1 * MINUTE);
    expect(runner.calls).toHaveLength(2);
  });
});

describe('SyncScheduler: one run at a time', () => {
  it('refuses a second run in the same process with SyncInProgressError', async () => {
    const { clock, runner, scheduler } = setup();
    runner.hold = true;
    const first = await scheduler.startRun();
    await expect(scheduler.runNow('contact')).rejects.toBeInstanceOf(SyncInProgressError);
    expect((await scheduler.status()).running).toBe(true);
    runner.release();
    const result = await first.done;
    expect(result.runId).toBe(first.runId);
    await settle(clock);
    expect(scheduler.running).toBe(false);
    // After the run, a new one is accepted.
    runner.hold = false;
    await expect(scheduler.runNow('contact', { force: true, mode: 'full' })).resolves.toMatchObject({ status: 'success' });
    expect(runner.calls.at(-1)).toMatchObject({ entities: ['contact'], force: true, mode: 'full', trigger: 'manual' });
  });

  it('two concurrent calls in the same tick: exactly one runs', async () => {
    const { runner, scheduler } = setup();
    runner.hold = true;
    const results = await Promise.allSettled([scheduler.startRun(), scheduler.startRun()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(SyncInProgressError);
    runner.release();
  });

  it('validates entities and mode', async () => {
    const { scheduler } = setup();
    await expect(scheduler.startRun({ entities: ['nope'] })).rejects.toBeInstanceOf(InputError);
    await expect(scheduler.startRun({ mode: 'sometimes' as 'full' })).rejects.toBeInstanceOf(InputError);
    expect(scheduler.running).toBe(false);
  });

  it('refuses a run while another replica holds the scheduler lease, and runs once it is free', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const a = setup({ store, clock, owner: 'replica-a' });
    const b = setup({ store, clock, owner: 'replica-b' });
    a.runner.hold = true;
    await a.scheduler.startRun();
    expect((await store.getLease(SCHEDULER_LEASE, clock.now()))?.owner).toBe('replica-a');
    await expect(b.scheduler.runNow()).rejects.toBeInstanceOf(SyncInProgressError);
    expect(b.runner.calls).toHaveLength(0);
    a.runner.release();
    await settle(clock);
    expect(await store.getLease(SCHEDULER_LEASE, clock.now())).toBeNull();
    await expect(b.scheduler.runNow()).resolves.toMatchObject({ status: 'success' });
  });

  it('coalesces ticks missed during a long run into one run after it', async () => {
    const { clock, runner, scheduler } = setup();
    runner.hold = true;
    await scheduler.start();
    await clock.advance(15 * MINUTE);
    expect(runner.calls).toHaveLength(1);
    const skipped: string[] = [];
    scheduler.on('tick:skipped', ({ reason }) => skipped.push(reason));
    // The run takes an hour: four ticks would have fallen due.
    await clock.advance(60 * MINUTE);
    expect(runner.calls).toHaveLength(1);
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    runner.hold = false;
    runner.release();
    await settle(clock);
    expect(runner.calls).toHaveLength(2);
    await clock.advance(14 * MINUTE);
    expect(runner.calls).toHaveLength(2);
    await clock.advance(1 * MINUTE);
    expect(runner.calls).toHaveLength(3);
  });

  it('two schedulers ticking on one store never run at once, and skip a tick right after the other ran', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const shared = new FakeRunner(clock);
    const a = setup({ store, clock, runner: shared, owner: 'a', jitterRatio: 0.1, random: () => 0.2 });
    const b = setup({ store, clock, runner: shared, owner: 'b', jitterRatio: 0.1, random: () => 0.7 });
    await a.scheduler.start();
    await b.scheduler.start();
    await clock.advance(6 * 60 * MINUTE);
    expect(shared.maxActive).toBe(1);
    // 6 hours at ~15 minutes: about 24 runs in all, not 48.
    expect(shared.calls.length).toBeGreaterThanOrEqual(20);
    expect(shared.calls.length).toBeLessThanOrEqual(26);
  });

  it('stop() asks the running run to stop at a checkpoint, waits for it and releases the lease', async () => {
    const { clock, store, runner, scheduler } = setup();
    runner.hold = true;
    await scheduler.start();
    await clock.advance(15 * MINUTE);
    expect(runner.active).toBe(1);
    const signal = runner.calls[0]?.signal;
    await scheduler.stop();
    expect(signal?.aborted).toBe(true);
    expect(runner.active).toBe(0);
    expect(await store.getLease(SCHEDULER_LEASE, clock.now())).toBeNull();
    await clock.advance(60 * MINUTE);
    expect(runner.calls).toHaveLength(1);
  });

  it('aborts the run when the scheduler lease is lost', async () => {
    const { clock, store, runner, scheduler } = setup({ leaseTtlMs: 30_000, owner: 'me' });
    runner.hold = true;
    await scheduler.startRun();
    // Someone forcibly takes the lease (an operator, or the lease expired during a long pause).
    await store.releaseLease(SCHEDULER_LEASE, 'me');
    await store.acquireLease(SCHEDULER_LEASE, 'intruder', 30_000, clock.now());
    await clock.advance(10_000);
    expect(runner.calls[0]?.signal?.aborted).toBe(true);
  });
});

describe('SyncScheduler: failures, retries and alerts', () => {
  it('alerts exactly once after 3 failed runs in a row, and once on recovery', async () => {
    const { clock, store, runner, scheduler, alerts } = setup();
    runner.outcome = 'failed';
    await scheduler.start();
    for (let i = 1; i <= 2; i++) await clock.advance(15 * MINUTE);
    expect(alerts).toHaveLength(0);
    await clock.advance(15 * MINUTE);
    expect(alerts.map((a) => a.kind)).toEqual(['sync_failing']);
    expect(alerts[0]?.details).toMatchObject({ consecutiveFailures: 3, errorCode: 'odoo_transport_failed' });
    for (let i = 1; i <= 4; i++) await clock.advance(15 * MINUTE);
    expect(alerts).toHaveLength(1);
    const status = await scheduler.status();
    expect(status).toMatchObject({ consecutiveFailures: 7, healthy: false, lastError: { code: 'odoo_transport_failed' } });

    runner.outcome = 'success';
    await clock.advance(15 * MINUTE);
    expect(alerts.map((a) => a.kind)).toEqual(['sync_failing', 'sync_recovered']);
    expect(alerts[1]?.details).toMatchObject({ failedRuns: 7 });
    await clock.advance(15 * MINUTE);
    expect(alerts).toHaveLength(2);
    expect(await scheduler.status()).toMatchObject({ consecutiveFailures: 0, healthy: true, lastError: null });
    expect(await store.getSetting(HEALTH_SETTING)).toMatchObject({ consecutiveFailures: 0, alerted: false });
  });

  it('says nothing when fewer failures than the threshold are followed by a success', async () => {
    const { clock, runner, scheduler, alerts } = setup();
    await scheduler.start();
    runner.outcome = 'failed';
    await clock.advance(30 * MINUTE);
    runner.outcome = 'success';
    await clock.advance(15 * MINUTE);
    expect(alerts).toHaveLength(0);
  });

  it('counts failures across replicas sharing a store: still one alert', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const shared = new FakeRunner(clock);
    shared.outcome = 'failed';
    const alerts: Alert[] = [];
    const notifier: Notifier = { notify: async (alert) => void alerts.push(alert) };
    const a = setup({ store, clock, runner: shared, notifier, owner: 'a' });
    const b = setup({ store, clock, runner: shared, notifier, owner: 'b' });
    await a.scheduler.runNow();
    await b.scheduler.runNow();
    expect(alerts).toHaveLength(0);
    await a.scheduler.runNow();
    await b.scheduler.runNow();
    expect(alerts.map((x) => x.kind)).toEqual(['sync_failing']);
    shared.outcome = 'success';
    await b.scheduler.runNow();
    await a.scheduler.runNow();
    expect(alerts.map((x) => x.kind)).toEqual(['sync_failing', 'sync_recovered']);
  });

  it('tries the alert again after the next failed run when the notifier failed', async () => {
    let attempts = 0;
    const sent: Alert[] = [];
    const notifier: Notifier = {
      notify: async (alert) => {
        attempts++;
        if (attempts === 1) throw new NotifierError('SMTP server down');
        sent.push(alert);
      },
    };
    const { runner, scheduler } = setup({ notifier, failureThreshold: 2 });
    const failedNotifications: unknown[] = [];
    scheduler.on('notify:failed', ({ error }) => failedNotifications.push(error));
    runner.outcome = 'failed';
    await scheduler.runNow();
    await scheduler.runNow();
    expect(sent).toHaveLength(0);
    expect(failedNotifications).toHaveLength(1);
    await scheduler.runNow();
    expect(sent.map((a) => a.kind)).toEqual(['sync_failing']);
    await scheduler.runNow();
    expect(sent).toHaveLength(1);
  });

  it('names its alert events <noun>:<past-tense verb>, and still emits their former names', async () => {
    const names = ['alert:sent', 'sync:recovered', 'notification:failed', 'alert', 'recovered', 'notify:failed'] as const;
    const { runner, scheduler } = setup({ notifier: { notify: async () => undefined }, failureThreshold: 2 });
    const events: string[] = [];
    for (const name of names) scheduler.on(name, () => events.push(name));
    runner.outcome = 'failed';
    await scheduler.runNow();
    await scheduler.runNow();
    runner.outcome = 'success';
    await scheduler.runNow();
    expect(events).toEqual(['alert:sent', 'alert', 'sync:recovered', 'recovered']);

    const down = setup({ notifier: { notify: () => Promise.reject(new NotifierError('SMTP server down')) }, failureThreshold: 1 });
    const undelivered: string[] = [];
    for (const name of names) down.scheduler.on(name, () => undelivered.push(name));
    down.runner.outcome = 'failed';
    await down.scheduler.runNow();
    expect(undelivered).toEqual(['notification:failed', 'notify:failed']);
  });

  it('retries a run that threw a transient error, and counts one failure when retries run out', async () => {
    const { runner, scheduler } = setup();
    runner.outcome = new StoreError('store unreachable', { retryable: true });
    const failed: unknown[] = [];
    scheduler.on('run:failed', ({ error }) => failed.push(error));
    await expect(scheduler.runNow()).rejects.toBeInstanceOf(StoreError);
    expect(runner.calls).toHaveLength(3);
    expect(failed).toHaveLength(1);
    expect(await scheduler.status()).toMatchObject({ consecutiveFailures: 1, lastError: { code: 'store_error' } });
  });

  it('a scheduled run that throws does not crash the process and the schedule goes on', async () => {
    const { clock, runner, scheduler } = setup({ retry: false });
    runner.outcome = new Error('boom');
    await scheduler.start();
    await clock.advance(15 * MINUTE);
    await clock.advance(15 * MINUTE);
    expect(runner.calls).toHaveLength(2);
    expect((await scheduler.status()).consecutiveFailures).toBe(2);
  });
});

/** A source that records which entities are being read at the same moment, across readers. */
class WatchedSource implements SourceReader {
  static reading = new Map<string, number>();
  static overlaps = 0;
  constructor(private readonly inner: MemorySource) {}

  async *readChanged(query: SourceQuery, options: ReadChangedOptions): AsyncIterable<OdooRow[]> {
    const now = (WatchedSource.reading.get(query.entity) ?? 0) + 1;
    WatchedSource.reading.set(query.entity, now);
    if (now > 1) WatchedSource.overlaps++;
    try {
      for await (const page of this.inner.readChanged(query, options)) {
        await new Promise((resolve) => setImmediate(resolve));
        yield page;
      }
    } finally {
      WatchedSource.reading.set(query.entity, (WatchedSource.reading.get(query.entity) ?? 1) - 1);
    }
  }
  readAllIds(...args: Parameters<SourceReader['readAllIds']>) {
    return this.inner.readAllIds(...args);
  }
  readByIds(...args: Parameters<SourceReader['readByIds']>) {
    return this.inner.readByIds(...args);
  }
}

describe('SyncScheduler with a real Reconciler (end to end)', () => {
  function partner(id: number, extra: Record<string, unknown> = {}) {
    return { id, name: `Person ${id}`, email: `p${id}@example.com`, phone: false, function: false, city: false, parent_id: false, commercial_partner_id: [id, `Person ${id}`], is_company: false, active: true, ...extra };
  }

  it('keeps the store in step with the source on schedule, and alerts when Odoo goes away and comes back', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const source = new MemorySource({ clock });
    const store = new MemoryStore();
    for (let id = 1; id <= 30; id++) source.write('res.partner', partner(id));
    const reconciler = new Reconciler({ source, store, clock, entities: ['contact'], pageSize: 7, overlapMs: 0, retry: false });
    const { scheduler, alerts } = setup({ store, clock, runner: reconciler, runOnStart: true });
    await scheduler.start();
    await settle(clock);
    expect(await store.countRecords('contact')).toEqual({ active: 30, archived: 0, deleted: 0 });

    source.write('res.partner', { id: 2, email: 'new@example.com' });
    source.write('res.partner', { id: 3, active: false });
    source.unlink('res.partner', [4]);
    await clock.advance(15 * MINUTE);
    expect((await store.getRecord('contact', 2))?.data).toMatchObject({ email: 'new@example.com' });
    expect(await store.countRecords('contact')).toEqual({ active: 28, archived: 1, deleted: 1 });

    source.setInstalled('res.partner', true);
    const failing = new OdooTransportError('Odoo did not answer', { status: 502 });
    source.failAfter(0, failing);
    await clock.advance(15 * MINUTE);
    source.failAfter(0, failing);
    await clock.advance(15 * MINUTE);
    source.failAfter(0, failing);
    await clock.advance(15 * MINUTE);
    expect(alerts.map((a) => a.kind)).toEqual(['sync_failing']);
    await clock.advance(15 * MINUTE);
    expect(alerts.map((a) => a.kind)).toEqual(['sync_failing', 'sync_recovered']);
    const logs = await store.listSyncLogs({ entity: 'contact', limit: 100 });
    expect(logs.items.filter((l) => l.status === 'failed')).toHaveLength(3);
  });

  it('two schedulers with their own reconcilers on one store never sync the same entity at once', async () => {
    WatchedSource.reading.clear();
    WatchedSource.overlaps = 0;
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const memory = new MemorySource({ clock });
    for (let id = 1; id <= 200; id++) memory.write('res.partner', partner(id, id % 10 === 0 ? { is_company: true } : {}));
    const store = new MemoryStore();
    const make = (owner: string) =>
      new Reconciler({ source: new WatchedSource(memory), store, clock, owner, entities: ['contact', 'account'], pageSize: 10, overlapMs: 0, retry: false });
    const a = setup({ store, clock, runner: make('a'), owner: 'a' });
    const b = setup({ store, clock, runner: make('b'), owner: 'b' });
    const runs = await Promise.allSettled([a.scheduler.runNow(undefined, { mode: 'full' }), b.scheduler.runNow(undefined, { mode: 'full' }), a.scheduler.runNow(), b.scheduler.runNow()]);
    expect(runs.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await a.scheduler.start();
    await b.scheduler.start();
    for (let i = 0; i < 8; i++) {
      memory.write('res.partner', { id: 1 + i, email: `changed${i}@example.com` });
      await clock.advance(8 * MINUTE);
    }
    expect(WatchedSource.overlaps).toBe(0);
    expect(await store.countRecords('contact')).toEqual({ active: 180, archived: 0, deleted: 0 });
    expect(await store.countRecords('account')).toEqual({ active: 20, archived: 0, deleted: 0 });
    expect((await store.getRecord('contact', 8))?.data).toMatchObject({ email: 'changed7@example.com' });
  });
});
