/**
 * Idempotency port: the first answer of a request made with an `Idempotency-Key`, so that a
 * client retrying the same request gets that answer again instead of a second write.
 * @module
 */
import type { JsonValue } from './json.js';

/** The answer a request gave, kept to be given again. */
export interface IdempotentAnswer {
  /** HTTP status. */
  status: number;
  /** JSON body. */
  body: JsonValue;
}

/** A key as the store holds it. */
export interface IdempotencyRecord {
  /** The key (callers scope it, e.g. a hash of the caller's id and the header's value). */
  key: string;
  /** What the request was (a hash of its method, path and body): the same key with another request is refused. */
  fingerprint: string;
  /** `pending` while the first request runs; `done` once its answer is stored. */
  state: 'pending' | 'done';
  /** The first answer, once `done`; `null` while `pending`. */
  answer: IdempotentAnswer | null;
  /** ISO-8601 time of the claim. */
  createdAt: string;
  /** ISO-8601 time from which the key is forgotten. */
  expiresAt: string;
  /** ISO-8601 time from which a `pending` claim counts as abandoned (its process died) and may be claimed again. */
  pendingUntil: string;
}

/** What {@link IdempotencyStore.claimIdempotencyKey} takes. */
export interface IdempotencyClaimRequest {
  /** The key. */
  key: string;
  /** What the request is. */
  fingerprint: string;
  /** When the key is forgotten (e.g. 24 h from now). */
  expiresAt: Date;
  /** When a claim left `pending` counts as abandoned (longer than any request may take). */
  pendingUntil: Date;
}

/**
 * The outcome of a claim: `claimed` — the caller runs the request and then completes or
 * releases the key; otherwise the record already there (pending or done).
 */
export type IdempotencyClaim = { claimed: true } | { claimed: false; record: IdempotencyRecord };

/**
 * Holds idempotency keys. Every method takes the time as an argument; expired keys are never
 * answered, whether or not they have been purged yet.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` for one request, atomically: of any number of concurrent claims of one key
   * (in one process or many), exactly one is `claimed`. A key that is absent, expired
   * (`expiresAt <= now`) or `pending` past its `pendingUntil` is claimed (a new `pending` record,
   * `createdAt = now`); otherwise the stored record is returned, unchanged, whatever its
   * fingerprint.
   */
  claimIdempotencyKey(request: IdempotencyClaimRequest, now: Date): Promise<IdempotencyClaim>;
  /**
   * Stores the answer of a `pending` key with this fingerprint and makes it `done`. Returns
   * `false` (and changes nothing) when there is no such pending key.
   */
  completeIdempotencyKey(key: string, fingerprint: string, answer: IdempotentAnswer, now: Date): Promise<boolean>;
  /**
   * Forgets a `pending` key with this fingerprint (the request stopped before it changed
   * anything, so a retry may run it). Returns `false` when there is no such pending key; a
   * `done` key is never released.
   */
  releaseIdempotencyKey(key: string, fingerprint: string): Promise<boolean>;
  /** The record of `key`, or `null` when absent or expired. */
  getIdempotencyKey(key: string, now: Date): Promise<IdempotencyRecord | null>;
  /** Deletes expired keys (`expiresAt <= now`); returns how many. */
  purgeExpiredIdempotencyKeys(now: Date): Promise<number>;
}

/** The idempotency ports. Checked by `runIdempotencyContract` in `@odoo-sync/core/testing`. */
export type IdempotencyPorts = IdempotencyStore;
