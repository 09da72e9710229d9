/**
 * The idempotency port on MongoDB (`idempotency_keys`): a claim is one atomic conditional
 * upsert; a TTL index on `expiresAt` removes expired keys (reads never answer them anyway).
 * @module
 */
import type { JsonValue } from '@odoo-sync/core';
import type { IdempotencyClaim, IdempotencyClaimRequest, IdempotencyRecord, IdempotencyStore, IdempotentAnswer } from '@odoo-sync/core/store-kit';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { IdempotencyKeyDoc } from './documents.js';
import { isDuplicateKeyError } from './driver-errors.js';
import { StoreError } from '@odoo-sync/core/errors';

function toRecord(doc: IdempotencyKeyDoc): IdempotencyRecord {
  const done = doc.state === 'done' && typeof doc.status === 'number';
  return {
    key: doc._id,
    fingerprint: doc.fingerprint,
    state: done ? 'done' : 'pending',
    // The body is kept as JSON text: a document key may not start with `$` nor hold a dot.
    answer: done ? { status: doc.status as number, body: JSON.parse(doc.body ?? 'null') as JsonValue } : null,
    createdAt: doc.createdAt.toISOString(),
    expiresAt: doc.expiresAt.toISOString(),
    pendingUntil: doc.pendingUntil.toISOString(),
  };
}

/** {@link IdempotencyStore} over a shared {@link MongoConnection}. */
export class MongoIdempotency implements IdempotencyStore {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  async #collection() {
    return this.#conn.collection<IdempotencyKeyDoc>(MONGO_COLLECTIONS.idempotencyKeys);
  }

  /** @inheritDoc */
  async claimIdempotencyKey(request: IdempotencyClaimRequest, now: Date): Promise<IdempotencyClaim> {
    return this.#claim(request, now, 3);
  }

  async #claim(request: IdempotencyClaimRequest, now: Date, attempts: number): Promise<IdempotencyClaim> {
    return this.#conn.run('claimIdempotencyKey', async () => {
      const keys = await this.#collection();
      try {
        // Matches a key that is expired or abandoned; when none matches, the upsert inserts
        // `_id: key`, which fails with a duplicate key when a live key is there: exactly one of
        // any number of concurrent claims wins.
        await keys.updateOne(
          { _id: request.key, $or: [{ expiresAt: { $lte: now } }, { state: 'pending', pendingUntil: { $lte: now } }] },
          {
            $set: {
              fingerprint: request.fingerprint,
              state: 'pending',
              status: null,
              body: null,
              createdAt: now,
              expiresAt: request.expiresAt,
              pendingUntil: request.pendingUntil,
            },
          },
          { upsert: true },
        );
        return { claimed: true } as const;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const doc = await keys.findOne({ _id: request.key });
      // Gone between the two calls (purged or released): claim again, a bounded number of times.
      if (!doc) {
        if (attempts > 1) return this.#claim(request, now, attempts - 1);
        throw new StoreError('The idempotency key changed hands too often to be claimed; retry the request.', { retryable: true });
      }
      return { claimed: false, record: toRecord(doc) } as const;
    });
  }

  /** @inheritDoc */
  async completeIdempotencyKey(key: string, fingerprint: string, answer: IdempotentAnswer, _now: Date): Promise<boolean> {
    return this.#conn.run('completeIdempotencyKey', async () => {
      const keys = await this.#collection();
      const result = await keys.updateOne({ _id: key, fingerprint, state: 'pending' }, { $set: { state: 'done', status: answer.status, body: JSON.stringify(answer.body) } });
      return result.modifiedCount === 1;
    });
  }

  /** @inheritDoc */
  async releaseIdempotencyKey(key: string, fingerprint: string): Promise<boolean> {
    return this.#conn.run('releaseIdempotencyKey', async () => {
      const keys = await this.#collection();
      return (await keys.deleteOne({ _id: key, fingerprint, state: 'pending' })).deletedCount === 1;
    });
  }

  /** @inheritDoc */
  async getIdempotencyKey(key: string, now: Date): Promise<IdempotencyRecord | null> {
    return this.#conn.run('getIdempotencyKey', async () => {
      const keys = await this.#collection();
      const doc = await keys.findOne({ _id: key, expiresAt: { $gt: now } });
      return doc ? toRecord(doc) : null;
    });
  }

  /** @inheritDoc */
  async purgeExpiredIdempotencyKeys(now: Date): Promise<number> {
    return this.#conn.run('purgeExpiredIdempotencyKeys', async () => {
      const keys = await this.#collection();
      return (await keys.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    });
  }
}
