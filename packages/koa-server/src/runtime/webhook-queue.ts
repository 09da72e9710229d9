/**
 * What happens after Odoo's "Send Webhook Notification" arrives: the record is read again a
 * moment later (not at once), once per burst, and again later when the read shows that the
 * announced change is not committed yet (Odoo 17 and 18 send the webhook from inside the
 * transaction) or when Odoo does not answer. Retries are kept in the store, so they survive a
 * restart and any replica carries them out.
 * @module
 */
import {
  type Clock,
  type EntityName,
  type LockStore,
  type Logger,
  type RecordReconcileResult,
  type SettingsStore,
  type TimerHandle,
} from '@odoo-sync/core';
import { isOdooSyncError, summarizeError } from '@odoo-sync/core/errors';
import { z } from 'zod';
import type { RecordReconciler } from '../http/ports.js';

/** One webhook: which record changed and, when the payload carried it, its new `write_date`. */
export interface WebhookNotice {
  /** Odoo model, e.g. `crm.lead`. */
  model: string;
  /** Record id. */
  odooId: number;
  /** The record's `write_date` in the payload (ISO-8601), or `null` when the payload had none. */
  writeDate: string | null;
}

/** What {@link WebhookQueue.submit} did with a webhook. */
export type WebhookAdmission = 'queued' | 'coalesced';

/** What became of one read of a webhook's record. */
export type WebhookReadOutcome = 'done' | 'retry' | 'dropped';

/** Options of {@link WebhookQueue}. */
export interface WebhookQueueOptions {
  /** Reads and applies one record (core's `Reconciler`). */
  reconciler: RecordReconciler;
  /** Where retries are kept, shared by every replica. */
  store: SettingsStore & LockStore;
  /** Time and timers. */
  clock: Clock;
  /** Structured logger. */
  logger: Logger;
  /**
   * How long after the first webhook of a record it is read: webhooks for the same record in
   * that time are answered by the same read, and Odoo 17/18 has time to commit.
   * @default 1500
   */
  settleMs?: number;
  /**
   * Delays of the retries, in order; after the last one the webhook is given up (the next
   * scheduled run catches the change).
   * @default [5000, 30000, 120000, 600000, 1800000]
   */
  retryDelaysMs?: readonly number[];
  /**
   * How often each replica looks for retries that are due (those of a replica that stopped).
   * @default 30000
   */
  pollMs?: number;
  /**
   * Most retries kept; past it the oldest are given up.
   * @default 10000
   */
  maxQueued?: number;
  /**
   * Most records read from Odoo at once (an import that fires a webhook per record must not
   * flood Odoo).
   * @default 4
   */
  maxConcurrentReads?: number;
  /** Told after each read, with what it did (metrics, caches). */
  onRead?: (notice: WebhookNotice, outcome: WebhookReadOutcome, results: readonly RecordReconcileResult[]) => void;
  /** Owner id of the queue's lease. @default a random UUID */
  owner?: string;
}

/** The settings key holding the retries. */
export const WEBHOOK_QUEUE_KEY = 'webhooks.queue';
const QUEUE_LEASE = 'webhooks:queue';
const LEASE_TTL_MS = 10_000;
const CLAIM_MS = 120_000;
const DRAIN_BATCH = 100;

const queuedSchema = z.object({
  model: z.string().min(1),
  odooId: z.number().int().positive(),
  writeDate: z.string().nullable(),
  attempts: z.number().int().min(0),
  dueAt: z.string(),
  firstAt: z.string(),
  claimedUntil: z.string().nullable(),
});
/** A webhook waiting in the store for its next read. */
export type QueuedWebhook = {
  /** Odoo model. */
  model: string;
  /** Record id. */
  odooId: number;
  /** The latest `write_date` announced for it (ISO-8601), or `null`. */
  writeDate: string | null;
  /** Reads made so far. */
  attempts: number;
  /** When the next read is due (ISO-8601). */
  dueAt: string;
  /** When it was first kept (ISO-8601). */
  firstAt: string;
  /** Until when a replica that took it for reading holds it (ISO-8601), or `null`. */
  claimedUntil: string | null;
};
const queueSchema: z.ZodType<QueuedWebhook[]> = z.array(queuedSchema);

function keyOf(notice: { model: string; odooId: number }): string {
  return `${notice.model}#${notice.odooId}`;
}

function laterDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** An Odoo datetime (UTC, `2026-03-01 10:00:00`), or an ISO one in UTC. */
const ODOO_DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]00:?00)?$/;

/** A payload's `write_date` (`"2026-03-01 10:00:00"` as Odoo sends it, or ISO) as ISO-8601, or `null`. */
export function webhookWriteDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string') return null;
  const m = ODOO_DATETIME.exec(value);
  const date = m ? new Date(`${m[1]!}T${m[2]!}Z`) : null;
  const iso = date !== null && !Number.isNaN(date.getTime()) ? date.toISOString() : value;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/**
 * Whether a read of a webhook's record came too early. With the payload's `write_date`: when no
 * row read is at least that recent (the change, or the new record, is not committed yet).
 * Without it, nothing tells: a first read that changed nothing is tried once more. Pure.
 */
export function readTooEarly(notice: WebhookNotice, results: readonly RecordReconcileResult[], attempt: number): boolean {
  if (notice.writeDate !== null) {
    const announced = Date.parse(notice.writeDate);
    return !results.some((r) => typeof r.writeDate === 'string' && Date.parse(r.writeDate) >= announced);
  }
  return attempt === 0 && results.every((r) => r.outcome === 'unchanged' || r.outcome === 'absent');
}

/**
 * Reads webhooks' records: coalesced per record (a storm of webhooks for one record is one
 * read), a little after they arrive, and again with backoff when the read came too early
 * ({@link readTooEarly}) or Odoo failed transiently. Retries are stored under the settings key
 * {@link WEBHOOK_QUEUE_KEY}, changed only under a lease, so several replicas share them safely.
 *
 * @example
 * ```ts
 * const webhooks = new WebhookQueue({ reconciler, store, clock: systemClock, logger });
 * webhooks.start();
 * webhooks.submit({ model: 'crm.lead', odooId: 42, writeDate: null });
 * await webhooks.stop();
 * ```
 */
export class WebhookQueue {
  readonly #reconciler: RecordReconciler;
  readonly #store: SettingsStore & LockStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #settleMs: number;
  readonly #retryDelaysMs: readonly number[];
  readonly #pollMs: number;
  readonly #maxQueued: number;
  readonly #onRead: WebhookQueueOptions['onRead'];
  readonly #owner: string;
  readonly #pending = new Map<string, { notice: WebhookNotice; timer: TimerHandle; done: Promise<void>; finish: () => void }>();
  readonly #inflight = new Map<string, { again: WebhookNotice | null }>();
  readonly #timers = new Set<TimerHandle>();
  readonly #work = new Set<Promise<unknown>>();
  #queueChain: Promise<unknown> = Promise.resolve();
  #poller: TimerHandle | null = null;
  #stopped = false;
  #reading = 0;
  readonly #readSlots: Array<() => void> = [];
  readonly #maxConcurrentReads: number;
  #odooDownUntil = 0;

  constructor(options: WebhookQueueOptions) {
    const settleMs = options.settleMs ?? 1500;
    const pollMs = options.pollMs ?? 30_000;
    const retryDelaysMs = options.retryDelaysMs ?? [5_000, 30_000, 120_000, 600_000, 1_800_000];
    const maxQueued = options.maxQueued ?? 10_000;
    if (!(settleMs >= 0)) throw new TypeError(`Expected options.settleMs to be a number ≥ 0, got ${String(settleMs)}.`);
    if (!(pollMs > 0)) throw new TypeError(`Expected options.pollMs to be a number > 0, got ${String(pollMs)}.`);
    if (!Array.isArray(retryDelaysMs) || !retryDelaysMs.every((ms) => Number.isFinite(ms) && ms >= 0)) {
      throw new TypeError('Expected options.retryDelaysMs to be a list of numbers ≥ 0.');
    }
    if (!Number.isInteger(maxQueued) || maxQueued < 1) throw new TypeError(`Expected options.maxQueued to be an integer ≥ 1, got ${String(maxQueued)}.`);
    this.#reconciler = options.reconciler;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#settleMs = settleMs;
    this.#pollMs = pollMs;
    this.#retryDelaysMs = [...(retryDelaysMs as readonly number[])];
    this.#maxQueued = maxQueued;
    const maxConcurrentReads = options.maxConcurrentReads ?? 4;
    if (!Number.isInteger(maxConcurrentReads) || maxConcurrentReads < 1) {
      throw new TypeError(`Expected options.maxConcurrentReads to be an integer ≥ 1, got ${String(maxConcurrentReads)}.`);
    }
    this.#maxConcurrentReads = maxConcurrentReads;
    this.#onRead = options.onRead;
    this.#owner = options.owner ?? globalThis.crypto.randomUUID();
  }

  /**
   * Takes a webhook. Its record is read `settleMs` later; a webhook for a record already
   * waiting (or being read) joins it. Never waits for Odoo.
   */
  submit(notice: WebhookNotice): WebhookAdmission {
    const key = keyOf(notice);
    const pending = this.#pending.get(key);
    if (pending) {
      pending.notice.writeDate = laterDate(pending.notice.writeDate, notice.writeDate);
      return 'coalesced';
    }
    const inflight = this.#inflight.get(key);
    if (inflight) {
      // A change announced while its record is being read may have committed after the read began.
      inflight.again = { ...notice, writeDate: laterDate(inflight.again?.writeDate ?? null, notice.writeDate) };
      return 'coalesced';
    }
    let finish = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    const timer = this.#clock.setTimeout(() => this.#track(this.#readSoon(key)), this.#settleMs);
    this.#pending.set(key, { notice: { ...notice }, timer, done, finish });
    return 'queued';
  }

  /** Starts looking for stored retries that are due, now and every `pollMs`. */
  start(): void {
    if (this.#stopped || this.#poller) return;
    const tick = () => {
      this.#poller = this.#clock.setTimeout(tick, this.#pollMs);
      this.#track(this.drain());
    };
    tick();
  }

  /** Stops the timers and waits for reads under way. Webhooks still waiting are left to the scheduled runs. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#poller) this.#clock.clearTimeout(this.#poller);
    this.#poller = null;
    for (const { timer, finish } of this.#pending.values()) {
      this.#clock.clearTimeout(timer);
      finish();
    }
    this.#pending.clear();
    for (const timer of this.#timers) this.#clock.clearTimeout(timer);
    this.#timers.clear();
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  /** The stored retries (for status and tests). */
  async queued(): Promise<QueuedWebhook[]> {
    return this.#readQueue();
  }

  /**
   * Resolves once no webhook waits in memory and no read is under way (stored retries that are
   * not due yet do not count). With a manual clock, advance it past `settleMs` first.
   */
  async idle(): Promise<void> {
    for (;;) {
      const waits = [...[...this.#pending.values()].map((p) => p.done), ...this.#work];
      if (waits.length === 0) return;
      await Promise.allSettled(waits);
    }
  }

  /**
   * Reads the stored retries that are due (at most 100 at a time), claimed under the lease so
   * two replicas never take the same one. Safe to call any time.
   */
  async drain(): Promise<void> {
    if (this.#stopped) return;
    const now = this.#clock.now();
    const isDue = (entry: QueuedWebhook) =>
      Date.parse(entry.dueAt) <= now.getTime() && (entry.claimedUntil === null || Date.parse(entry.claimedUntil) <= now.getTime());
    // A look without the lease first: most of the time nothing is due, and nothing is written.
    if (!(await this.#readQueue()).some(isDue)) return;
    const claimed = await this.#withQueue((queue) => {
      const due = queue.filter(isDue).slice(0, DRAIN_BATCH);
      const until = new Date(now.getTime() + CLAIM_MS).toISOString();
      for (const entry of due) entry.claimedUntil = until;
      return { queue, result: due.map((entry) => ({ ...entry })) };
    });
    if (claimed.length === 0) return;
    const outcomes = new Map<string, WebhookReadOutcome>();
    let odooDown = false;
    for (const entry of claimed) {
      if (this.#stopped) break;
      // Once Odoo failed, the others wait for their next turn instead of failing one by one.
      const read: { outcome: WebhookReadOutcome; transient: boolean } = odooDown ? { outcome: 'retry', transient: true } : await this.#read(entry, entry.attempts);
      odooDown ||= read.transient;
      outcomes.set(keyOf(entry), read.outcome);
    }
    const nextDue = await this.#withQueue((queue) => {
      const rest: QueuedWebhook[] = [];
      for (const entry of queue) {
        const outcome = outcomes.get(keyOf(entry));
        if (outcome === undefined) rest.push(entry);
        else if (outcome === 'retry') {
          const next = this.#next(entry, entry.attempts + 1);
          if (next) rest.push(next);
        }
      }
      const earliest = rest.reduce<number | null>((min, entry) => {
        const due = Date.parse(entry.dueAt);
        return min === null || due < min ? due : min;
      }, null);
      return { queue: rest, result: earliest };
    });
    if (nextDue !== null) this.#scheduleDrain(Math.max(0, nextDue - this.#clock.now().getTime()));
  }

  async #readSoon(key: string): Promise<void> {
    const pending = this.#pending.get(key);
    if (!pending) return;
    this.#pending.delete(key);
    if (this.#stopped) { pending.finish(); return; }
    const inflight = { again: null as WebhookNotice | null };
    this.#inflight.set(key, inflight);
    let results: readonly RecordReconcileResult[] = [];
    try {
      // Right after Odoo failed, a burst of webhooks goes straight to the retries instead of
      // each waiting for its own failure.
      const odooDown = this.#clock.now().getTime() < this.#odooDownUntil;
      const read = odooDown ? { outcome: 'retry' as const, results: [] } : await this.#limited(() => this.#read(pending.notice, 0));
      results = read.results ?? [];
      if (read.outcome === 'retry') await this.#enqueue(pending.notice);
    } catch (err) {
      this.#logger.error({ model: pending.notice.model, odooId: pending.notice.odooId, err: summarizeError(err) }, 'webhook could not be queued for retry');
    } finally {
      this.#inflight.delete(key);
      pending.finish();
    }
    // Webhooks that came during the read: read again, unless the read already saw their change.
    const again = inflight.again;
    if (again && !this.#stopped && (again.writeDate === null || readTooEarly(again, results, 1))) this.submit(again);
  }

  /** Runs `read` when fewer than `maxConcurrentReads` reads are under way, else after one ends. */
  async #limited<T>(read: () => Promise<T>): Promise<T> {
    while (this.#reading >= this.#maxConcurrentReads) await new Promise<void>((resolve) => this.#readSlots.push(resolve));
    this.#reading++;
    try {
      return await read();
    } finally {
      this.#reading--;
      this.#readSlots.shift()?.();
    }
  }

  /** Reads the record in every entity fed by its model. */
  async #read(
    notice: WebhookNotice,
    attempt: number,
  ): Promise<{ outcome: WebhookReadOutcome; transient: boolean; results?: readonly RecordReconcileResult[] }> {
    const entities: EntityName[] = this.#reconciler.entitiesOfModel(notice.model);
    const results: RecordReconcileResult[] = [];
    let outcome: WebhookReadOutcome;
    let transient = false;
    try {
      for (const entity of entities) results.push(await this.#reconciler.reconcileRecord(entity, notice.odooId));
      outcome = entities.length > 0 && readTooEarly(notice, results, attempt) ? 'retry' : 'done';
      const context = { model: notice.model, odooId: notice.odooId, attempt, results: results.map(({ entity, outcome: o }) => ({ entity, outcome: o })) };
      if (outcome === 'retry') this.#logger.info(context, 'webhook read too early (change not committed yet?); will read again');
      else this.#logger.info(context, 'webhook reconciled');
    } catch (err) {
      const retryable = isOdooSyncError(err) && err.retryable;
      transient = retryable;
      if (retryable) this.#odooDownUntil = this.#clock.now().getTime() + (this.#retryDelaysMs[0] ?? 0);
      outcome = retryable ? 'retry' : 'dropped';
      this.#logger.warn({ model: notice.model, odooId: notice.odooId, attempt, err: summarizeError(err) }, retryable ? 'webhook read failed; will retry' : 'webhook read failed');
    }
    this.#onRead?.(notice, outcome, results);
    return { outcome, transient, results };
  }

  /** The entry for its next retry, or `null` (logged) when its retries are used up. */
  #next(entry: QueuedWebhook, attempts: number): QueuedWebhook | null {
    const delay = this.#retryDelaysMs[attempts - 1];
    if (delay === undefined) {
      this.#logger.warn(
        { model: entry.model, odooId: entry.odooId, attempts, firstAt: entry.firstAt },
        'webhook given up after its retries; the next scheduled sync run will pick the change up',
      );
      return null;
    }
    return { ...entry, attempts, claimedUntil: null, dueAt: new Date(this.#clock.now().getTime() + delay).toISOString() };
  }

  async #enqueue(notice: WebhookNotice): Promise<void> {
    const now = this.#clock.now().toISOString();
    const fresh = this.#next({ ...notice, attempts: 0, dueAt: now, firstAt: now, claimedUntil: null }, 1);
    if (!fresh) return;
    await this.#withQueue((queue) => {
      const same = queue.find((entry) => keyOf(entry) === keyOf(notice));
      if (same) {
        same.writeDate = laterDate(same.writeDate, notice.writeDate);
        return { queue, result: undefined };
      }
      queue.push(fresh);
      const dropped = queue.length > this.#maxQueued ? queue.splice(0, queue.length - this.#maxQueued) : [];
      if (dropped.length > 0) this.#logger.warn({ dropped: dropped.length }, 'webhook retry queue full: oldest retries given up');
      return { queue, result: undefined };
    });
    this.#scheduleDrain(Math.max(0, Date.parse(fresh.dueAt) - this.#clock.now().getTime()));
  }

  #scheduleDrain(ms: number): void {
    if (this.#stopped) return;
    const timer = this.#clock.setTimeout(() => {
      this.#timers.delete(timer);
      this.#track(this.drain());
    }, ms);
    this.#timers.add(timer);
  }

  #track(work: Promise<unknown>): void {
    const tracked = work
      .catch((err: unknown) => this.#logger.error({ err: summarizeError(err) }, 'webhook queue failed'))
      .finally(() => this.#work.delete(tracked));
    this.#work.add(tracked);
  }

  async #readQueue(): Promise<QueuedWebhook[]> {
    const stored = await this.#store.getSetting(WEBHOOK_QUEUE_KEY);
    if (stored === undefined) return [];
    const parsed = queueSchema.safeParse(stored);
    if (parsed.success) return parsed.data;
    this.#logger.error({ key: WEBHOOK_QUEUE_KEY }, 'stored webhook retries are unreadable; starting an empty queue');
    return [];
  }

  /**
   * Changes the stored queue under its lease: one replica at a time, and one change at a time
   * within this process.
   */
  async #withQueue<T>(change: (queue: QueuedWebhook[]) => { queue: QueuedWebhook[]; result: T }): Promise<T> {
    const run = this.#queueChain.then(async () => {
      for (let attempt = 0; ; attempt++) {
        const lease = await this.#store.acquireLease(QUEUE_LEASE, this.#owner, LEASE_TTL_MS, this.#clock.now());
        if (lease) break;
        if (attempt >= 50) throw new Error('the webhook queue lease stayed taken');
        await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, 20 + attempt * 10));
      }
      try {
        const { queue, result } = change(await this.#readQueue());
        await this.#store.setSetting(WEBHOOK_QUEUE_KEY, queue);
        return result;
      } finally {
        await this.#store.releaseLease(QUEUE_LEASE, this.#owner);
      }
    });
    this.#queueChain = run.catch(() => undefined);
    return run;
  }
}
