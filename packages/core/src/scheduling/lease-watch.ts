/**
 * Judges "the holder stopped renewing its lease" on the taker's own time, never by comparing a
 * time written by the holder's clock with the taker's clock (replicas' clocks differ).
 * @module
 */
import { type Clock, monotonicMs } from '../clock.js';
import type { Lease } from '../ports.js';

/**
 * Remembers, per lease name, the holder and expiry last seen and when (on this process's own
 * monotonic clock) that exact value was first seen. A live holder renews every third of the
 * time-to-live, which changes the expiry it writes; an unchanged lease watched for two renewal
 * periods (two thirds of the TTL) of our own time has missed two renewals. Skew between the
 * holder's and our clock does not matter: only our own elapsed time is measured.
 *
 * Owned by one scheduler or reconciler (no shared state). A lease first seen now has never
 * missed anything yet, so a process just started only takes over a dead holder's lease on the
 * same host (`owner_dead`) or an expired one (the store's rule).
 *
 * @example
 * ```ts
 * const watch = new LeaseWatch(clock);
 * watch.missedRenewals('sync:scheduler', heldLease, 60_000); // false: first seen now
 * // … 40 s of our own time later, the same lease unchanged:
 * watch.missedRenewals('sync:scheduler', heldLease, 60_000); // true
 * ```
 */
export class LeaseWatch {
  readonly #clock: Clock;
  readonly #seen = new Map<string, { owner: string; expiresAt: string; since: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Records `lease` as seen now and says whether this same holder and expiry has been seen,
   * unchanged, for at least two thirds of `ttlMs` of our own time.
   */
  missedRenewals(name: string, lease: Lease, ttlMs: number): boolean {
    const now = monotonicMs(this.#clock);
    const seen = this.#seen.get(name);
    if (!seen || seen.owner !== lease.owner || seen.expiresAt !== lease.expiresAt || now < seen.since) {
      this.#seen.set(name, { owner: lease.owner, expiresAt: lease.expiresAt, since: now });
      return false;
    }
    return now - seen.since >= (2 * ttlMs) / 3;
  }

  /** Forgets what was seen of `name` (the lease is ours now, or free). */
  forget(name: string): void {
    this.#seen.delete(name);
  }
}
