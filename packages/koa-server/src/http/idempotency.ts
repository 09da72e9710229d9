/**
 * `Idempotency-Key` on the CRM POST routes: a retried request with the same key (same caller)
 * gets the first answer again instead of writing twice; the same key with another request is
 * refused (422); while the first request runs, a second one gets 409.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Clock, JsonValue } from '@odoo-sync/core';
import type { IdempotencyStore } from '@odoo-sync/core/store-kit';
import { stableHash } from '@odoo-sync/core/store-kit';
import { InputError, summarizeError } from '@odoo-sync/core/errors';
import type { ServerLogger } from '../runtime/logger.js';
import { HttpProblem } from './errors.js';
import type { RequestContext } from './state.js';

/** The request header. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** The answer header of a replayed answer. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** How long keys are kept: 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a first request may run before its claim counts as abandoned (its process died). */
export const IDEMPOTENCY_PENDING_MS = 10 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The store key of a caller's `Idempotency-Key`: scoped to the caller, never the raw value. */
export function scopedIdempotencyKey(userId: string, key: string): string {
  return createHash('sha256').update(`${userId}\n${key}`, 'utf8').digest('hex');
}

/** What a request is, for "the same key with another request": its method, path and body. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return stableHash({ method: method.toUpperCase(), path, body: (body ?? null) as JsonValue });
}

/** The `Idempotency-Key` of a request, checked, or `null` when absent. */
export function idempotencyKeyOf(ctx: Pick<RequestContext, 'get'>): string | null {
  const value = ctx.get(IDEMPOTENCY_HEADER);
  if (value === '') return null;
  if (!KEY.test(value)) {
    throw new InputError(`The ${IDEMPOTENCY_HEADER} header must be 1–255 visible ASCII characters (a UUID is a good choice).`, [
      { path: `headers.${IDEMPOTENCY_HEADER}`, message: 'expected 1–255 visible ASCII characters' },
    ]);
  }
  return value;
}

/** Runs requests made with an `Idempotency-Key` at most once per key and caller. */
export class IdempotencyGuard {
  readonly #store: IdempotencyStore;
  readonly #clock: Clock;
  readonly #logger: ServerLogger;
  #lastPurge = Number.NEGATIVE_INFINITY;

  /** Keeps keys in `store`. */
  constructor(options: { store: IdempotencyStore; clock: Clock; logger: ServerLogger }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /**
   * Runs `handle` unless the request carries an `Idempotency-Key` already used by the caller:
   * then the first answer (status and body) is given again with `Idempotent-Replayed: true`, and
   * `handle` does not run. A failed request releases its key, so that a retry runs again.
   */
  async run(ctx: RequestContext, userId: string, body: unknown, handle: () => Promise<void>): Promise<void> {
    const given = idempotencyKeyOf(ctx);
    if (given === null) return handle();
    const now = this.#clock.now();
    this.#purgeNowAndThen(now);
    const key = scopedIdempotencyKey(userId, given);
    const fingerprint = requestFingerprint(ctx.method, ctx.path, body);
    const claim = await this.#store.claimIdempotencyKey(
      { key, fingerprint, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS), pendingUntil: new Date(now.getTime() + IDEMPOTENCY_PENDING_MS) },
      now,
    );
    if (!claim.claimed) {
      const { record } = claim;
      if (record.fingerprint !== fingerprint) {
        throw new HttpProblem('idempotency_key_reused', `This ${IDEMPOTENCY_HEADER} was used with another request (another path or body) in the last 24 hours.`, {
          hint: `Use a new ${IDEMPOTENCY_HEADER} for each new request; reuse one only to retry the very same request.`,
        });
      }
      if (record.state === 'pending' || record.answer === null) {
        throw new HttpProblem('idempotency_key_in_use', `The first request with this ${IDEMPOTENCY_HEADER} is still running.`, {
          hint: 'Retry the same request in a moment to get its answer.',
          retryable: true,
        });
      }
      ctx.status = record.answer.status;
      ctx.body = record.answer.body;
      ctx.set(REPLAYED_HEADER, 'true');
      return;
    }
    try {
      await handle();
    } catch (err) {
      await this.#store.releaseIdempotencyKey(key, fingerprint).catch((releaseErr: unknown) => {
        this.#logger.warn({ err: summarizeError(releaseErr), requestId: ctx.state.requestId }, 'could not release an idempotency key; it is released when it counts as abandoned');
      });
      throw err;
    }
    try {
      const completed = await this.#store.completeIdempotencyKey(key, fingerprint, { status: ctx.status, body: (ctx.body ?? null) as JsonValue }, this.#clock.now());
      if (!completed) this.#logger.warn({ requestId: ctx.state.requestId }, 'an idempotency key was taken over before its answer was stored');
    } catch (err) {
      // The write is done: answer it. A retry with this key gets 409 until the claim counts as abandoned.
      this.#logger.error({ err: summarizeError(err), requestId: ctx.state.requestId }, 'could not store the answer of an idempotent request');
    }
  }

  #purgeNowAndThen(now: Date): void {
    if (now.getTime() - this.#lastPurge < PURGE_EVERY_MS) return;
    this.#lastPurge = now.getTime();
    this.#store.purgeExpiredIdempotencyKeys(now).then(
      (purged) => {
        if (purged > 0) this.#logger.debug({ purged }, 'expired idempotency keys purged');
      },
      (err: unknown) => this.#logger.warn({ err: summarizeError(err) }, 'could not purge expired idempotency keys'),
    );
  }
}
