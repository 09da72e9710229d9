/**
 * The idempotency port in memory.
 * @module
 */
import type { IdempotencyClaim, IdempotencyClaimRequest, IdempotencyRecord, IdempotencyStore, IdempotentAnswer } from '../ports.js';
import { copy, type OpenGuard } from './shared.js';

/** Whether a stored key may be claimed again at `now`: expired, or pending past its `pendingUntil`. */
function claimable(record: IdempotencyRecord, now: Date): boolean {
  if (Date.parse(record.expiresAt) <= now.getTime()) return true;
  return record.state === 'pending' && Date.parse(record.pendingUntil) <= now.getTime();
}

/** {@link IdempotencyStore} in memory. */
export class MemoryIdempotency implements IdempotencyStore {
  readonly #open: OpenGuard;
  readonly #keys = new Map<string, IdempotencyRecord>();

  /** @param open Throws when the store is closed. */
  constructor(open: OpenGuard) {
    this.#open = open;
  }

  /** Everything held, for the inspector's dump. */
  dump(): IdempotencyRecord[] {
    return [...this.#keys.values()].map(copy);
  }

  async claimIdempotencyKey(request: IdempotencyClaimRequest, now: Date): Promise<IdempotencyClaim> {
    this.#open();
    const current = this.#keys.get(request.key);
    if (current && !claimable(current, now)) return { claimed: false, record: copy(current) };
    this.#keys.set(request.key, {
      key: request.key,
      fingerprint: request.fingerprint,
      state: 'pending',
      answer: null,
      createdAt: now.toISOString(),
      expiresAt: request.expiresAt.toISOString(),
      pendingUntil: request.pendingUntil.toISOString(),
    });
    return { claimed: true };
  }

  async completeIdempotencyKey(key: string, fingerprint: string, answer: IdempotentAnswer, _now: Date): Promise<boolean> {
    this.#open();
    const current = this.#keys.get(key);
    if (current?.state !== 'pending' || current.fingerprint !== fingerprint) return false;
    this.#keys.set(key, { ...current, state: 'done', answer: copy(answer) });
    return true;
  }

  async releaseIdempotencyKey(key: string, fingerprint: string): Promise<boolean> {
    this.#open();
    const current = this.#keys.get(key);
    if (current?.state !== 'pending' || current.fingerprint !== fingerprint) return false;
    this.#keys.delete(key);
    return true;
  }

  async getIdempotencyKey(key: string, now: Date): Promise<IdempotencyRecord | null> {
    this.#open();
    const current = this.#keys.get(key);
    if (!current || Date.parse(current.expiresAt) <= now.getTime()) return null;
    return copy(current);
  }

  async purgeExpiredIdempotencyKeys(now: Date): Promise<number> {
    this.#open();
    let purged = 0;
    for (const [key, record] of this.#keys) {
      if (Date.parse(record.expiresAt) <= now.getTime()) {
        this.#keys.delete(key);
        purged++;
      }
    }
    return purged;
  }
}
