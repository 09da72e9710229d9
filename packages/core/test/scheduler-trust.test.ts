/**
 * The scheduler keeps its schedule after long runs, recovers at once after a crash, delivers
 * alerts once per recipient, and runs full reconciles on a schedule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { OdooAuthError, OdooTransportError, SyncInProgressError } from '../src/errors.js';
import { formatLeaseOwner, type LeaseOwnerIdentity } from '../src/scheduling/lease-owner.js';
import type { Logger } from '../src/logger.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import type { RunOptions, RunResult, SyncRunner } from '../src/model.js';
import type { Alert, AlertDelivery, Notifier, NotifyOptions } from '../src/ports.js';
import { Reconciler } from '../src/sync/reconciler.js';
import { SyncScheduler } from '../src/scheduling/scheduler.js';
import { SCHEDULER_LEASE, type SyncSchedulerOptions } from '../src/scheduling/scheduler-types.js';
import { HEALTH_SETTING } from '../src/scheduling/sync-health.js';

const MINUTE = 60_000;
const schedulers: SyncScheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
});

/** A runner whose runs last `durationMs` of the manual clock and end as `outcome` says. */
class TimedRunner implements SyncRunner {
  calls: RunOptions[] = [];
  durationMs = 0;
  outcome: 'success' | Error = 'success';
  constructor(private readonly clock: ManualClock) {}
  async run(options: RunOptions = {}): Promise<RunResult> {
    this.calls.push(options);
    const startedAt = this.clock.now().toISOString();
    if (this.durationMs > 0) {
      await new Promise<void>((resolve) => {
        this.clock.setTimeout(resolve, this.durationMs);
        options.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    if (this.outcome instanceof Error) throw this.outcome;
    return { runId: options.runId ?? 'run', startedAt, finishedAt: this.clock.now().toISOString(), status: 'success', entries: [] };
  }
}

function captureLogger(lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }>): Logger {
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => captureLogger(lines) } as unknown as Logger;
}

function setup(options: Partial<SyncSchedulerOptions> & { store?: MemoryStore; clock?: ManualClock } = {}) {
  const clock = options.clock ?? new ManualClock('2026-03-01T10:00:00.000Z');
  const store = options.store ?? new MemoryStore();
  const runner = (options.runner as TimedRunner | undefined) ?? new TimedRunner(clock);
  let n = 0;
  const scheduler = new SyncScheduler({
    locks: store,
    settings: store,
    clock,
    jitterRatio: 0,
    retry: false,
    randomId: () => `id-${++n}`,
    ...options,
    runner,
  });
  schedulers.push(scheduler);
  return { clock, store, runner, scheduler };
}

const host = 'web-1';
const deadPid = 4_000_001;
const owner = (pid: number, id = 'x'): string => formatLeaseOwner({ host, pid, id });
/** This host, where `deadPid` does not exist. */
const probe = (o: LeaseOwnerIdentity) => o.host === host && o.pid === deadPid;

describe('SyncScheduler: the half-interval check counts from the start of the last run', () => {
  it('with a 5-minute interval and runs of 3 minutes, runs every 5 minutes and skips none', async () => {
    const { clock, runner, scheduler } = setup({ intervalMinutes: 5, runOnStart: true });
    runner.durationMs = 3 * MINUTE;
    runner.outcome = new OdooTransportError('Odoo is down.', { retryable: false });
    const skipped: string[] = [];
    scheduler.on('tick:skipped', ({ reason }) => skipped.push(reason));
    await scheduler.start();
    await clock.advance(25 * MINUTE);
    // Startup at 0, then 5, 10, 15, 20, 25: six runs. Counting from the *end* of a run, the tick
    // 5 minutes after a start came 2 minutes after the end and was skipped as "recent".
    expect(runner.calls).toHaveLength(6);
    expect(skipped).toEqual([]);
  });

  it('logs and emits every skip with its reason', async () => {
    const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
    const store = new MemoryStore();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const other = setup({ store, clock, owner: 'other' });
    const { scheduler } = setup({ store, clock, owner: 'me', logger: captureLogger(lines) });
    const skipped: string[] = [];
    scheduler.on('tick:skipped', ({ reason }) => skipped.push(reason));
    await scheduler.start();
    await clock.advance(10 * MINUTE);
    await other.scheduler.runNow(); // another replica ran at 10 min: the tick at 15 is "recent"
    await clock.advance(5 * MINUTE);
    expect(skipped).toEqual(['recent_run']);
    expect(lines.filter((l) => l.msg === 'scheduled sync run skipped').map((l) => l.obj['reason'])).toEqual(['recent_run']);
  });
});

describe('SyncScheduler: after a crash', () => {
  it('takes over at once a scheduler lease whose holder on this host is dead; refuses a live one', async () => {
    const { clock, store, scheduler } = setup({ owner: owner(1234, 'me'), leaseOwnerProbe: probe });
    await store.acquireLease(SCHEDULER_LEASE, owner(4321, 'alive'), 60 * 60_000, clock.now());
    await expect(scheduler.startRun()).rejects.toBeInstanceOf(SyncInProgressError);
    await store.releaseLease(SCHEDULER_LEASE, owner(4321, 'alive'));

    await store.acquireLease(SCHEDULER_LEASE, owner(deadPid, 'dead'), 60_000, clock.now());
    const takeovers: unknown[] = [];
    scheduler.on('lease:taken_over', (e) => takeovers.push(e));
    const { done } = await scheduler.startRun();
    expect((await done).status).toBe('success');
    expect(takeovers).toEqual([{ name: SCHEDULER_LEASE, previousOwner: owner(deadPid, 'dead'), reason: 'owner_dead' }]);
  });

  it('takes over a lease seen unrenewed for two renewal periods of its own time (another host), not one that is renewed', async () => {
    const { clock, store, scheduler } = setup({ owner: 'me', leaseTtlMs: 60_000 });
    await store.acquireLease(SCHEDULER_LEASE, 'elsewhere', 60_000, clock.now());
    await clock.advance(5_000);
    await expect(scheduler.startRun()).rejects.toBeInstanceOf(SyncInProgressError); // first seen
    await clock.advance(15_000);
    await store.renewLease(SCHEDULER_LEASE, 'elsewhere', 60_000, clock.now()); // renewed at 20 s
    await clock.advance(5_000);
    await expect(scheduler.startRun()).rejects.toBeInstanceOf(SyncInProgressError); // renewed: seen anew
    await clock.advance(39_999);
    await expect(scheduler.startRun()).rejects.toBeInstanceOf(SyncInProgressError); // 1 ms short
    await clock.advance(1);
    const takeovers: unknown[] = [];
    scheduler.on('lease:taken_over', (e) => takeovers.push(e));
    const { done } = await scheduler.startRun(); // unchanged for 40 s of our time; 15 s left
    expect((await done).status).toBe('success');
    expect(takeovers).toEqual([{ name: SCHEDULER_LEASE, previousOwner: 'elsewhere', reason: 'heartbeat_missed' }]);
  });

  it('resumes at start a run that a dead process never finished, in its mode, without runOnStart', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const dead = owner(deadPid, 'dead');
    // What a process killed mid-run leaves: its lease and a run "in progress" in the health.
    await store.acquireLease(SCHEDULER_LEASE, dead, 60_000, clock.now());
    await store.setSetting(HEALTH_SETTING, {
      consecutiveFailures: 0,
      alerted: false,
      lastStartedAt: clock.now().toISOString(),
      lastRunAt: new Date(clock.now().getTime() - 15 * MINUTE).toISOString(),
      lastSuccessAt: null,
      lastFailureAt: null,
      inProgress: { runId: 'killed', owner: dead, startedAt: clock.now().toISOString(), mode: 'full', trigger: 'manual', entities: null },
    });
    await clock.advance(MINUTE);
    const { runner, scheduler } = setup({ store, clock, owner: owner(1234, 'me'), leaseOwnerProbe: probe });
    await scheduler.start();
    await clock.advance(0);
    expect(runner.calls.map((c) => [c.trigger, c.mode])).toEqual([['startup', 'full']]);
    const health = await scheduler.health();
    expect(health.inProgress).toBeNull();
    expect(health.lastFullAt).not.toBeNull();
  });

  it('does not resume a run that a live replica is still running', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const alive = owner(4321, 'alive');
    await store.acquireLease(SCHEDULER_LEASE, alive, 60_000, clock.now());
    await store.setSetting(HEALTH_SETTING, {
      lastStartedAt: clock.now().toISOString(),
      inProgress: { runId: 'running', owner: alive, startedAt: clock.now().toISOString(), mode: 'incremental', trigger: 'schedule', entities: null },
    });
    const { runner, scheduler } = setup({ store, clock, owner: owner(1234, 'me'), leaseOwnerProbe: probe });
    await scheduler.start();
    await clock.advance(0);
    expect(runner.calls).toHaveLength(0);
  });

  it('the reconciler takes over the entity lease of a dead process at once', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const store = new MemoryStore();
    const source = new MemorySource({ clock });
    source.write('res.partner', { id: 1, name: 'Acme', is_company: true });
    await store.acquireLease('sync:entity:account', owner(deadPid, 'dead'), 60_000, clock.now());
    await store.acquireLease('sync:entity:contact', owner(4321, 'alive'), 60_000, clock.now());
    const reconciler = new Reconciler({ source, store, clock, owner: owner(1234, 'me'), leaseOwnerProbe: probe, retry: false });
    const result = await reconciler.run({ entities: ['account', 'contact'] });
    const byEntity = Object.fromEntries(result.entries.map((e) => [e.entity, e.status]));
    expect(byEntity).toEqual({ account: 'success', contact: 'skipped' });
  });
});

/** A notifier that refuses some recipients, as an SMTP server refusing one mailbox would. */
class PickyNotifier implements Notifier {
  sent: Array<{ kind: string; to: string }> = [];
  calls: NotifyOptions[] = [];
  constructor(
    public admins: string[],
    public refused: Set<string>,
  ) {}
  async notify(alert: Alert, options: NotifyOptions = {}): Promise<AlertDelivery> {
    this.calls.push(options);
    const targets = (options.only ?? this.admins).filter((a) => !(options.skip ?? []).includes(a));
    const delivery: AlertDelivery = { delivered: [], failed: [] };
    for (const to of targets) {
      if (this.refused.has(to)) delivery.failed.push({ recipient: to, error: { code: 'notifier_failed', message: 'mailbox unavailable' } });
      else {
        this.sent.push({ kind: alert.kind, to });
        delivery.delivered.push(to);
      }
    }
    return delivery;
  }
}

describe('SyncScheduler: alerts reach each recipient once', () => {
  it('one refused recipient does not make the alert repeat: only that one is retried', async () => {
    const notifier = new PickyNotifier(['a@x.test', 'b@x.test'], new Set(['b@x.test']));
    const { runner, scheduler } = setup({ notifier, failureThreshold: 2 });
    runner.outcome = new OdooTransportError('Odoo is down.', { retryable: false });
    const alerts: Alert[] = [];
    scheduler.on('alert', (a) => alerts.push(a));
    for (let i = 0; i < 2; i++) await scheduler.runNow().catch(() => undefined);
    expect(notifier.sent).toEqual([{ kind: 'sync_failing', to: 'a@x.test' }]);
    expect((await scheduler.status()).alert).toMatchObject({ kind: 'sync_failing', delivered: 1, undelivered: 1, error: { code: 'notifier_failed' } });

    for (let i = 0; i < 3; i++) await scheduler.runNow().catch(() => undefined);
    // a@ got it once; b@ was tried after each later failed run, and never a@ again.
    expect(notifier.sent).toEqual([{ kind: 'sync_failing', to: 'a@x.test' }]);
    expect(notifier.calls.slice(1)).toEqual([{ skip: ['a@x.test'] }, { skip: ['a@x.test'] }, { skip: ['a@x.test'] }]);
    expect(alerts).toHaveLength(1);

    notifier.refused.clear();
    await scheduler.runNow().catch(() => undefined);
    expect(notifier.sent).toEqual([
      { kind: 'sync_failing', to: 'a@x.test' },
      { kind: 'sync_failing', to: 'b@x.test' },
    ]);
    expect((await scheduler.status()).alert).toMatchObject({ kind: 'sync_failing', delivered: 2, undelivered: 0, error: null });

    runner.outcome = 'success';
    await scheduler.runNow();
    expect(notifier.sent.filter((s) => s.kind === 'sync_recovered').map((s) => s.to)).toEqual(['a@x.test', 'b@x.test']);
    await scheduler.runNow();
    expect(notifier.sent).toHaveLength(4);
  });

  it('sends the recovery notice only to the admins the failure alert reached', async () => {
    const notifier = new PickyNotifier(['a@x.test', 'b@x.test'], new Set(['b@x.test']));
    const { runner, scheduler } = setup({ notifier, failureThreshold: 1 });
    runner.outcome = new OdooTransportError('Odoo is down.', { retryable: false });
    await scheduler.runNow().catch(() => undefined);
    runner.outcome = 'success';
    await scheduler.runNow();
    expect(notifier.calls.at(-1)).toEqual({ only: ['a@x.test'] });
    expect(notifier.sent.map((s) => `${s.kind} ${s.to}`)).toEqual(['sync_failing a@x.test', 'sync_recovered a@x.test']);
    expect((await scheduler.health()).alerted).toBe(false);
  });
});

describe('SyncScheduler: alert messages', () => {
  it('name the deployment, link the dashboard, give advice for the error code and its hint, in local time', async () => {
    const alerts: Alert[] = [];
    const { runner, scheduler } = setup({
      failureThreshold: 1,
      notifier: { notify: async (a) => void alerts.push(a) },
      alertContext: { deployment: 'crm.acme.test', links: { dashboard: 'https://crm.acme.test/', logs: 'https://crm.acme.test/api/sync/logs' }, timeZone: 'Europe/Brussels' },
    });
    runner.outcome = new OdooAuthError('Odoo rejected the API key.', { hint: 'Check ODOO_USERNAME and the key.' });
    await scheduler.runNow().catch(() => undefined);
    const alert = alerts[0]!;
    expect(alert.subject).toContain('crm.acme.test');
    expect(alert.text).toContain('Odoo rejected the API key. (odoo_auth_failed)');
    expect(alert.text).toContain('Hint: Check ODOO_USERNAME and the key.');
    expect(alert.text).toMatch(/Create a new API key/);
    expect(alert.text).not.toMatch(/reachable/);
    expect(alert.text).toContain('Dashboard: https://crm.acme.test/');
    // 10:00 UTC is 11:00 in Brussels in March (CET).
    expect(alert.text).toMatch(/1 Mar 2026, 11:00:00 CET/);
    expect(alert.html).toContain('<a href="https://crm.acme.test/">');

    runner.outcome = 'success';
    await scheduler.runNow();
    runner.outcome = new OdooTransportError('Odoo did not answer.', { retryable: false });
    await scheduler.runNow().catch(() => undefined);
    expect(alerts[2]!.text).toMatch(/reachable/);
    expect(alerts[2]!.text).not.toMatch(/Create a new API key/);
  });

  it('core names no server path when the embedder passes no links', async () => {
    const alerts: Alert[] = [];
    const { runner, scheduler } = setup({ failureThreshold: 1, notifier: { notify: async (a) => void alerts.push(a) } });
    runner.outcome = new OdooTransportError('Odoo did not answer.', { retryable: false });
    await scheduler.runNow().catch(() => undefined);
    expect(alerts[0]!.text).not.toMatch(/\/api\//);
  });
});

describe('SyncScheduler: scheduled full reconciles', () => {
  it('makes the first scheduled run after the off-peak hour a full one, once a day, and reports it', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const { runner, scheduler } = setup({ clock, intervalMinutes: 60, fullRuns: { everyHours: 24, atHour: 3, timeZone: 'UTC' } });
    await scheduler.start();
    expect((await scheduler.status()).nextFullRunAt).toBe('2026-03-02T03:00:00.000Z');
    await clock.advance(16 * 60 * MINUTE); // to 02:00 the next day
    expect(runner.calls.every((c) => c.mode === 'incremental')).toBe(true);
    await clock.advance(60 * MINUTE); // 03:00
    expect(runner.calls.at(-1)).toMatchObject({ mode: 'full', trigger: 'schedule' });
    const status = await scheduler.status();
    expect(status.lastFullRunAt).toBe('2026-03-02T03:00:00.000Z');
    expect(status.nextFullRunAt).toBe('2026-03-03T03:00:00.000Z');
    await clock.advance(23 * 60 * MINUTE);
    expect(runner.calls.filter((c) => c.mode === 'full')).toHaveLength(1);
    await clock.advance(60 * MINUTE);
    expect(runner.calls.filter((c) => c.mode === 'full')).toHaveLength(2);
  });

  it('a full run another replica made counts: the schedule is shared', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-03-02T02:30:00.000Z');
    const a = setup({ store, clock, owner: 'a', intervalMinutes: 60, fullRuns: { everyHours: 24, atHour: 3, timeZone: 'UTC' } });
    const b = setup({ store, clock, owner: 'b', intervalMinutes: 60, fullRuns: { everyHours: 24, atHour: 3, timeZone: 'UTC' } });
    await a.scheduler.start();
    await clock.advance(61 * MINUTE); // a's tick at 03:30: full
    expect(a.runner.calls.map((c) => c.mode)).toEqual(['full']);
    await b.scheduler.start();
    await clock.advance(60 * MINUTE);
    expect(b.runner.calls.map((c) => c.mode)).not.toContain('full');
  });
});

describe('SyncScheduler: runs started directly', () => {
  it('a successful reconciler.run() before the scheduler exists makes status() healthy (the embedding example)', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const store = new MemoryStore();
    const source = new MemorySource({ clock });
    source.write('res.partner', { id: 1, name: 'Acme', is_company: true });
    const reconciler = new Reconciler({ source, store, clock, retry: false });
    const result = await reconciler.run({ mode: 'full', trigger: 'manual' });
    expect(result.status).toBe('success');
    const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store, clock });
    schedulers.push(scheduler);
    await scheduler.start();
    expect(await scheduler.status()).toMatchObject({
      healthy: true,
      lastSuccessAt: result.finishedAt,
      consecutiveFailures: 0,
      lastFullRunAt: result.startedAt,
    });
  });

  it('a failed direct run counts as a failure; runs of the scheduler are counted once', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const store = new MemoryStore();
    const down = {
      readChanged: () => {
        throw new OdooTransportError('down', { retryable: false });
      },
    } as unknown as MemorySource;
    const failing = new Reconciler({ source: down, store, clock, retry: false });
    const scheduler = new SyncScheduler({ runner: failing, locks: store, settings: store, clock, retry: false, failureThreshold: 100 });
    schedulers.push(scheduler);
    await scheduler.runNow('account');
    await scheduler.runNow('account');
    expect((await scheduler.status()).consecutiveFailures).toBe(2);
    await failing.run({ entities: ['account'] });
    expect(await scheduler.status()).toMatchObject({ consecutiveFailures: 3, healthy: false, lastError: { code: 'odoo_transport_failed' } });
  });
});

describe('SyncScheduler: auto-pause after a long failure streak', () => {
  it('pauses scheduled runs after pauseAfterHours of failures with one notice; manual runs still run; resume() restarts the schedule', async () => {
    const alerts: Alert[] = [];
    const { clock, runner, scheduler } = setup({
      intervalMinutes: 60,
      failureThreshold: 3,
      pauseAfterHours: 24,
      notifier: { notify: async (a) => void alerts.push(a) },
      alertContext: { resumeHow: 'POST https://crm.acme.test/api/sync/resume' },
    });
    runner.outcome = new OdooTransportError('Odoo is down.', { retryable: false });
    const skipped: string[] = [];
    scheduler.on('tick:skipped', ({ reason }) => skipped.push(reason));
    await scheduler.start();
    await clock.advance(24 * 60 * MINUTE); // runs at 1 h … 24 h: the first failed at 1 h
    expect((await scheduler.status()).paused).toBe(false);
    await clock.advance(60 * MINUTE); // 25 h: failing for 24 h
    const status = await scheduler.status();
    expect(status).toMatchObject({ paused: true, pausedAt: clock.now().toISOString() });
    expect(alerts.map((a) => a.kind)).toEqual(['sync_failing', 'sync_paused']);
    expect(alerts[1]!.text).toContain('POST https://crm.acme.test/api/sync/resume');
    const runs = runner.calls.length;
    await clock.advance(5 * 60 * MINUTE);
    expect(runner.calls).toHaveLength(runs);
    expect(skipped).toEqual(['paused', 'paused', 'paused', 'paused', 'paused']);
    expect(alerts).toHaveLength(2);

    // A manual run still works (and fails: still paused).
    await scheduler.runNow().catch(() => undefined);
    expect(runner.calls).toHaveLength(runs + 1);
    expect((await scheduler.status()).paused).toBe(true);

    expect(await scheduler.resume()).toBe(true);
    expect((await scheduler.status()).paused).toBe(false);
    await clock.advance(60 * MINUTE);
    expect(runner.calls).toHaveLength(runs + 2);
    expect((await scheduler.status()).paused).toBe(false); // the streak counts anew from the resume
    expect(await scheduler.resume()).toBe(false);
  });

  it('emits schedule:paused and schedule:resumed, and their former names paused and resumed', async () => {
    const { clock, runner, scheduler } = setup({ intervalMinutes: 60, failureThreshold: 1, pauseAfterHours: 2, notifier: { notify: async () => undefined } });
    runner.outcome = new OdooTransportError('Odoo is down.', { retryable: false });
    const events: string[] = [];
    for (const name of ['schedule:paused', 'paused', 'schedule:resumed', 'resumed'] as const) scheduler.on(name, () => events.push(name));
    await scheduler.start();
    await clock.advance(4 * 60 * MINUTE);
    expect((await scheduler.status()).paused).toBe(true);
    expect(await scheduler.resume()).toBe(true);
    expect(events).toEqual(['schedule:paused', 'paused', 'schedule:resumed', 'resumed']);
  });

  it('a successful run ends the pause', async () => {
    const { clock, runner, scheduler } = setup({ intervalMinutes: 60, pauseAfterHours: 2 });
    runner.outcome = new OdooTransportError('Odoo is down.', { retryable: false });
    await scheduler.start();
    await clock.advance(3 * 60 * MINUTE);
    expect((await scheduler.status()).paused).toBe(true);
    runner.outcome = 'success';
    await scheduler.runNow();
    expect((await scheduler.status()).paused).toBe(false);
  });
});
