/**
 * Retrying transient failures with exponential backoff: the one retry helper of odoo-sync, used
 * by the Reconciler and the SyncScheduler, the Odoo client and the Microsoft 365 sign-in service.
 * Each caller keeps its own policy (how many retries, how long between them, which failures
 * pass by themselves); this module only runs it.
 *
 * @example
 * ```ts
 * import { withTransientRetry } from '@odoo-sync/core/retry';
 *
 * const rows = await withTransientRetry(() => odoo.searchRead('res.partner'), {
 *   retry: { retries: 3, minTimeoutMs: 500, maxTimeoutMs: 5000, factor: 2 },
 *   signal,
 *   onRetry: ({ attemptNumber, error }) => logger.warn({ attemptNumber, err: summarizeError(error) }, 'retrying'),
 * });
 * ```
 * @module
 */
import pRetry from 'p-retry';
import { isOdooSyncError, LeaseLostError, RunAbortedError } from './errors.js';

/** How transient failures are retried: attempts and exponential backoff. */
export interface RetryPolicy {
  /** Retries after the first attempt (`0` runs it once). */
  retries: number;
  /** Wait before the first retry, in milliseconds. */
  minTimeoutMs: number;
  /** Longest wait between two attempts, in milliseconds. */
  maxTimeoutMs: number;
  /** Each wait is the previous one times this. */
  factor: number;
  /**
   * Multiplies each wait by a random factor from 1 to 2, so that many clients failing together
   * do not retry together.
   * @default false
   */
  randomize?: boolean | undefined;
}

/** One failed attempt, as the hooks of {@link withTransientRetry} see it. */
export interface RetryFailure {
  /** What the attempt threw. */
  readonly error: unknown;
  /** Which attempt failed (1 for the first). */
  readonly attemptNumber: number;
  /** Retries still allowed by the policy (0 after the last attempt). */
  readonly retriesLeft: number;
}

/** Options of {@link withTransientRetry}. */
export interface TransientRetryOptions {
  /** The policy; `false` runs the work once. */
  retry: RetryPolicy | false;
  /** Stops retrying (and any wait) once aborted; the signal's reason is thrown. */
  signal?: AbortSignal | undefined;
  /**
   * Whether a failure may pass by itself. Default {@link isTransientError}. Failures that are
   * not transient are thrown at once; an aborted `signal` is never retried.
   */
  isTransient?: ((error: unknown) => boolean) | undefined;
  /** Called after every failed attempt, transient or not, before deciding whether to retry. */
  onFailure?: ((failure: RetryFailure) => void) | undefined;
  /** Called when a failed attempt is going to be retried, before the backoff wait. */
  onRetry?: ((failure: RetryFailure) => void) | undefined;
}

/**
 * Whether an error may pass by itself: a `retryable` odoo-sync error (Odoo or a store
 * unreachable, a timeout, a rate limit), but never an aborted run or a lost lease.
 */
export function isTransientError(error: unknown): boolean {
  return isOdooSyncError(error) && error.retryable && !(error instanceof RunAbortedError) && !(error instanceof LeaseLostError);
}

/**
 * Runs `attempt`, retrying with exponential backoff the failures the options call transient,
 * and throws the last failure when retries run out (or the first one that is not transient).
 * A `TypeError` that is not a network error (a programming error) is never retried.
 *
 * @param attempt the work; receives the attempt number (1 for the first)
 */
export async function withTransientRetry<T>(attempt: (attemptNumber: number) => Promise<T>, options: TransientRetryOptions): Promise<T> {
  const { retry, signal, onFailure, onRetry } = options;
  if (retry === false) return attempt(1);
  const isTransient = options.isTransient ?? isTransientError;
  return pRetry(attempt, {
    retries: retry.retries,
    minTimeout: retry.minTimeoutMs,
    maxTimeout: retry.maxTimeoutMs,
    factor: retry.factor,
    randomize: retry.randomize ?? false,
    ...(signal === undefined ? {} : { signal }),
    shouldRetry: (failure) => {
      const again = !(signal?.aborted ?? false) && isTransient(failure.error);
      if (again) onRetry?.(failure);
      return again;
    },
    onFailedAttempt: (failure) => {
      onFailure?.(failure);
    },
  });
}
