/**
 * What the Reconciler and the SyncScheduler share: keeping a lease alive while work runs, and
 * retrying transient failures. Internal: not exported from the package.
 * @module
 */
import type { Clock, TimerHandle } from '../clock.js';
import { isOdooSyncError, LeaseLostError, RunAbortedError, summarizeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LockStore } from '../ports.js';
import { withTransientRetry } from '../retry.js';

/** {@link summarizeError} plus the error's hint (what to do), when it has one. */
export function summarizeWithHint(error: unknown): { code: string; message: string; retryable: boolean; hint?: string } {
  const summary = summarizeError(error);
  return isOdooSyncError(error) && error.hint !== undefined ? { ...summary, hint: error.hint } : summary;
}

/** How transient failures are retried (resolved defaults of the public `RetryOptions`). */
export interface ResolvedRetry {
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  factor: number;
}

/**
 * Fills in the defaults of retry options (`false` turns retries off). Checks them, so a bad
 * option fails when the object is made, not in the middle of a run.
 */
export function resolveRetry(
  owner: string,
  retry: { retries?: number; minTimeoutMs?: number; maxTimeoutMs?: number; factor?: number } | false | undefined,
  defaultRetries: number,
): ResolvedRetry | false {
  if (retry === false) return false;
  const resolved = {
    retries: retry?.retries ?? defaultRetries,
    minTimeoutMs: retry?.minTimeoutMs ?? 1000,
    maxTimeoutMs: retry?.maxTimeoutMs ?? 30_000,
    factor: retry?.factor ?? 2,
  };
  if (!Number.isInteger(resolved.retries) || resolved.retries < 0) throw new TypeError(`${owner} option retry.retries must be an integer >= 0.`);
  if (!(resolved.minTimeoutMs >= 0) || !(resolved.maxTimeoutMs >= resolved.minTimeoutMs)) {
    throw new TypeError(`${owner} option retry needs 0 <= minTimeoutMs <= maxTimeoutMs.`);
  }
  if (!(resolved.factor >= 1)) throw new TypeError(`${owner} option retry.factor must be at least 1.`);
  return resolved;
}

/**
 * Renews a held lease every third of its time-to-live until the returned function is called.
 * When the store says the lease is gone, aborts `controller` with {@link LeaseLostError}, so the
 * work stops at its next checkpoint. A failed renewal (store hiccup) is logged and tried again.
 */
export function keepLeaseAlive(options: {
  locks: Pick<LockStore, 'renewLease'>;
  name: string;
  owner: string;
  ttlMs: number;
  clock: Clock;
  logger: Logger;
  controller: AbortController;
}): () => void {
  const { locks, name, owner, ttlMs, clock, logger, controller } = options;
  let stopped = false;
  let timer: TimerHandle | undefined;
  const beat = () => {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      locks
        .renewLease(name, owner, ttlMs, clock.now())
        .then((lease) => {
          if (stopped) return;
          if (lease === null) {
            controller.abort(new LeaseLostError(`The lease ${name} was lost; the run stopped at its last checkpoint.`));
          } else beat();
        })
        .catch((error: unknown) => {
          logger.warn({ lease: name, err: summarizeError(error) }, 'lease renewal failed; retrying');
          beat();
        });
    }, Math.max(1, Math.floor(ttlMs / 3)));
  };
  beat();
  return () => {
    stopped = true;
    if (timer !== undefined) clock.clearTimeout(timer);
  };
}

/**
 * Runs `attempt`, retrying with backoff what may pass by itself: a `retryable` odoo-sync error,
 * never an abort, a lost lease or a permanent error. `retry: false` runs it once. Every failed
 * attempt is logged (`message`, with `context`).
 */
export async function retryTransient<T>(
  attempt: () => Promise<T>,
  options: { retry: ResolvedRetry | false; signal: AbortSignal; logger: Logger; context: Record<string, unknown>; message: string },
): Promise<T> {
  const { retry, signal, logger, context, message } = options;
  return withTransientRetry(() => attempt(), {
    retry,
    signal,
    onFailure: ({ error, attemptNumber, retriesLeft }) => {
      logger.warn({ ...context, attemptNumber, retriesLeft, err: summarizeError(error) }, message);
    },
  });
}

/**
 * Iterates `source` `depth` items ahead (default one): while the caller works on one page, the
 * next ones are already being read. A sync waits on Odoo and on the store in turn; overlapping
 * them hides most of the shorter wait. At most `depth + 1` pages are held. An error of the
 * read-ahead surfaces when the caller asks for that item, never earlier, so the pages in hand are
 * always applied first.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth = 1): AsyncGenerator<T, void, undefined> {
  if (!Number.isInteger(depth) || depth < 1) throw new TypeError(`readAhead depth must be a positive integer, received ${String(depth)}.`);
  const iterator = source[Symbol.asyncIterator]();
  const pull = () => {
    const next = iterator.next();
    // Observed by the loop below; this only keeps an early failure from being "unhandled".
    next.catch(() => undefined);
    return next;
  };
  // An async generator queues calls of next(): the source runs on to the next item as soon as
  // it has handed one over, up to `depth` items ahead of the caller.
  const pending: Array<Promise<IteratorResult<T>>> = [];
  for (let i = 0; i < depth; i++) pending.push(pull());
  let finished = false;
  try {
    for (;;) {
      const result = await pending.shift()!;
      if (result.done) {
        finished = true;
        return;
      }
      pending.push(pull());
      yield result.value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    // The caller stopped early (break, throw, abort): let the source close its request.
    if (!finished) await iterator.return?.();
  }
}

/** A positive integer option of the Reconciler, or its default; a `TypeError` otherwise. */
export function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`Reconciler option ${name} must be a positive integer, received ${String(value)}.`);
  }
  return value;
}

/** Throws the abort reason (or a {@link RunAbortedError}) once `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new RunAbortedError();
}
