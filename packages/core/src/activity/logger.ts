/**
 * The ActivityLogger: checks activity events, gives them ids and writes them to the activity
 * port in batches — durably for CRM writes, through a bounded queue for high-volume reads.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { type Clock, systemClock, type TimerHandle } from '../clock.js';
import { StoreError, summarizeError } from '../errors.js';
import { type Logger, silentLogger } from '../logger.js';
import type { Activity, ActivityStore } from '../ports.js';
import { type ActivityEvent, prepareActivity } from './event.js';
import { activityIdFactory, cryptoRandomBytes, type RandomBytes } from './ids.js';
import { activityTypeSet } from './types.js';

/** Why an activity was not stored. */
export type ActivityDropReason = 'queue_full' | 'store_failed' | 'invalid' | 'closed';

/** Options of {@link ActivityLogger}. */
export interface ActivityLoggerOptions {
  /** Where activities go. */
  store: ActivityStore;
  /** Activity types of your own, beside the built-in ones (lower-case words joined by `_`). */
  extraTypes?: readonly string[];
  /**
   * Most activities waiting in the {@link ActivityLogger.enqueue} queue; more are dropped and
   * counted (`queue_full`).
   * @default 10000
   */
  queueLimit?: number;
  /**
   * Most activities per store write.
   * @default 1000
   */
  batchSize?: number;
  /**
   * How long a queued activity may wait for its batch to fill before it is written.
   * @default 1000
   */
  flushIntervalMs?: number;
  /** Time (timestamps, flush timer). @default systemClock */
  clock?: Clock;
  /** Structured logger; never receives metadata. @default silentLogger */
  logger?: Logger;
  /** Randomness of ids. @default Web Crypto */
  randomBytes?: RandomBytes;
}

/** Counters of an {@link ActivityLogger}, for `/metrics`. */
export interface ActivityLoggerStats {
  /** Activities stored. */
  written: number;
  /** Activities waiting in the queue. */
  queued: number;
  /** Activities not stored, by reason. */
  dropped: Record<ActivityDropReason, number>;
  /** Metadata keys removed because they named secrets. */
  redactedKeys: number;
}

/** Events of an {@link ActivityLogger}. */
export interface ActivityLoggerEvents {
  /** Activities were not stored (the server counts them). */
  dropped: (event: { reason: ActivityDropReason; count: number }) => void;
  /** A batch was stored. */
  written: (event: { count: number }) => void;
}

/** A {@link ActivityLogger.record} call waiting for its write. */
interface DurableWaiting {
  activity: Activity;
  settle: (error?: Error) => void;
}

/**
 * Records what people do, through an {@link ActivityStore}.
 *
 * - {@link ActivityLogger.record}: the activity is stored before the promise resolves (CRM
 *   writes). Calls made while a write is under way are written together in the next batch.
 * - {@link ActivityLogger.enqueue}: returns at once; the activity waits in a bounded queue
 *   written in batches every `flushIntervalMs` or when a batch is full (360 views). When the
 *   queue is full or the store fails, activities are dropped, counted ({@link stats}), emitted
 *   (`dropped`) and logged — without their metadata.
 * - {@link ActivityLogger.close} writes what is queued; call it on shutdown.
 *
 * Events are checked with zod; metadata keys naming secrets (token, secret, password,
 * apiKey, …) are removed before anything is stored.
 *
 * @example
 * ```ts
 * const activities = new ActivityLogger({ store, logger });
 * await activities.record({ activityType: 'opportunity_created', title: 'Created opportunity: Cloud Migration',
 *   entityType: 'opportunity', entityId: 42, userId: user.id, userName: user.name });
 * activities.enqueue({ activityType: 'account_viewed_360', title: 'Viewed account: Acme', entityType: 'account', entityId: 7 });
 * await activities.close();
 * ```
 */
export class ActivityLogger extends EventEmitter<ActivityLoggerEvents> {
  readonly #store: ActivityStore;
  readonly #types: ReadonlySet<string>;
  readonly #queueLimit: number;
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #newId: (ms: number) => string;

  #queue: Activity[] = [];
  #timer: TimerHandle | undefined;
  #flushing: Promise<void> | null = null;
  readonly #durable: DurableWaiting[] = [];
  #durableWriting: Promise<void> | null = null;
  #closed = false;
  readonly #stats: ActivityLoggerStats = {
    written: 0,
    queued: 0,
    dropped: { queue_full: 0, store_failed: 0, invalid: 0, closed: 0 },
    redactedKeys: 0,
  };

  constructor(options: ActivityLoggerOptions) {
    super();
    if (!options || typeof options !== 'object') throw new TypeError('ActivityLogger needs an options object.');
    const store = options.store as Partial<ActivityStore> | undefined;
    if (!store || typeof store.appendActivities !== 'function') throw new TypeError('ActivityLogger option store must be an ActivityStore.');
    this.#store = options.store;
    this.#types = activityTypeSet(options.extraTypes);
    this.#queueLimit = positiveInteger(options.queueLimit, 10_000, 'queueLimit');
    this.#batchSize = positiveInteger(options.batchSize, 1000, 'batchSize');
    this.#flushIntervalMs = positiveInteger(options.flushIntervalMs, 1000, 'flushIntervalMs');
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#newId = activityIdFactory(options.randomBytes ?? cryptoRandomBytes);
  }

  /** Counters since the logger was made. */
  get stats(): ActivityLoggerStats {
    return { ...this.#stats, queued: this.#queue.length, dropped: { ...this.#stats.dropped } };
  }

  /** Whether `type` is accepted (built-in or registered). */
  knowsType(type: string): boolean {
    return this.#types.has(type);
  }

  /**
   * Checks the event and stores it; resolves with the stored activity once it is durable.
   * @throws {@link @odoo-sync/core/errors!InputError | InputError} for an invalid event (unknown type, empty title, …).
   * @throws {@link @odoo-sync/core/errors!StoreError | StoreError} when the store fails (also counted as dropped `store_failed`)
   *   or the logger is closed.
   */
  async record(event: ActivityEvent): Promise<Activity> {
    if (this.#closed) {
      this.#drop('closed', 1);
      throw new StoreError('The activity logger is closed.', { retryable: false });
    }
    const activity = this.#prepare(event);
    const stored = new Promise<void>((resolve, reject) => {
      this.#durable.push({ activity, settle: (error) => (error === undefined ? resolve() : reject(error)) });
    });
    this.#durableWriting ??= this.#writeDurable();
    await stored;
    return activity;
  }

  /**
   * Queues the event to be stored soon; never waits and never throws. Returns `false` when it
   * was dropped (invalid, queue full, logger closed) — counted and logged.
   */
  enqueue(event: ActivityEvent): boolean {
    if (this.#closed) {
      this.#drop('closed', 1);
      return false;
    }
    let activity: Activity;
    try {
      activity = this.#prepare(event);
    } catch (error) {
      this.#logger.warn({ err: summarizeError(error), activityType: safeType(event) }, 'activity dropped: invalid event');
      this.#drop('invalid', 1);
      return false;
    }
    if (this.#queue.length >= this.#queueLimit) {
      if (this.#stats.dropped.queue_full === 0 || this.#stats.dropped.queue_full % 1000 === 0) {
        this.#logger.warn({ queueLimit: this.#queueLimit, activityType: activity.activityType }, 'activity dropped: queue full');
      }
      this.#drop('queue_full', 1);
      return false;
    }
    this.#queue.push(activity);
    if (this.#queue.length >= this.#batchSize) this.#arm(0);
    else if (this.#timer === undefined) this.#arm(this.#flushIntervalMs);
    return true;
  }

  /** Writes everything queued so far; resolves when it is written (or dropped). */
  async flush(): Promise<void> {
    this.#disarm();
    while (this.#flushing !== null || this.#queue.length > 0) {
      if (this.#flushing !== null) await this.#flushing;
      else await this.#flushOnce();
    }
  }

  /**
   * Stops taking events, writes what is queued and waits for durable writes under way. Safe
   * to call twice.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    if (this.#durableWriting !== null) await this.#durableWriting;
  }

  #prepare(event: ActivityEvent): Activity {
    const { activity, redactedKeys } = prepareActivity(event, { types: this.#types, now: this.#clock.now(), newId: this.#newId });
    if (redactedKeys > 0) {
      this.#stats.redactedKeys += redactedKeys;
      this.#logger.warn({ activityType: activity.activityType, redactedKeys }, 'secret-like keys removed from activity metadata');
    }
    return activity;
  }

  /** Writes the waiting `record()` calls, a batch at a time; calls made meanwhile join the next batch. */
  async #writeDurable(): Promise<void> {
    // Let the calls of this turn join the first batch.
    await Promise.resolve();
    try {
      while (this.#durable.length > 0) {
        const batch = this.#durable.splice(0, this.#batchSize);
        try {
          await this.#store.appendActivities(batch.map((waiting) => waiting.activity));
          this.#wrote(batch.length);
          for (const waiting of batch) waiting.settle();
        } catch (error) {
          this.#storeFailed(error, batch.length, 'durable');
          const failure = asStoreError(error);
          for (const waiting of batch) waiting.settle(failure);
        }
      }
    } finally {
      this.#durableWriting = null;
    }
  }

  async #flushOnce(): Promise<void> {
    const batch = this.#queue.splice(0, this.#batchSize);
    if (batch.length === 0) return;
    const flushing = (async () => {
      try {
        await this.#store.appendActivities(batch);
        this.#wrote(batch.length);
      } catch (error) {
        this.#storeFailed(error, batch.length, 'queued');
      }
    })();
    this.#flushing = flushing;
    try {
      await flushing;
    } finally {
      this.#flushing = null;
    }
  }

  #arm(ms: number): void {
    this.#disarm();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#drain();
    }, ms);
  }

  async #drain(): Promise<void> {
    if (this.#flushing !== null) await this.#flushing;
    await this.#flushOnce();
    if (this.#queue.length >= this.#batchSize) this.#arm(0);
    else if (this.#queue.length > 0 && this.#timer === undefined) this.#arm(this.#flushIntervalMs);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #wrote(count: number): void {
    this.#stats.written += count;
    this.emit('written', { count });
  }

  #storeFailed(error: unknown, count: number, path: 'durable' | 'queued'): void {
    this.#logger.error({ err: summarizeError(error), count, path }, 'could not store activities; they are dropped');
    this.#drop('store_failed', count);
  }

  #drop(reason: ActivityDropReason, count: number): void {
    this.#stats.dropped[reason] += count;
    this.emit('dropped', { reason, count });
  }
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`ActivityLogger option ${name} must be a positive integer, received ${String(value)}.`);
  return value;
}

function asStoreError(error: unknown): Error {
  if (error instanceof StoreError) return error;
  return new StoreError('Could not store the activity.', { cause: error, retryable: summarizeError(error).retryable });
}

function safeType(event: unknown): string | undefined {
  const type = (event as { activityType?: unknown } | null)?.activityType;
  return typeof type === 'string' ? type.slice(0, 64) : undefined;
}
