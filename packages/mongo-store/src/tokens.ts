/**
 * The token port on MongoDB (`tokens`): encrypted token caches per partition, written by
 * compare-and-set on their version.
 * @module
 */
import type { TokenEntry, TokenStore } from '@odoo-sync/core';
import { ConflictError } from '@odoo-sync/core/errors';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { TokenDoc } from './documents.js';
import { parseTime, toTokenEntry } from './documents.js';
import { isDuplicateKeyError } from './driver-errors.js';

/** {@link TokenStore} over a shared {@link MongoConnection}. */
export class MongoTokens implements TokenStore {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async getToken(key: string): Promise<TokenEntry | null> {
    return this.#conn.run('getToken', async () => {
      const tokens = await this.#conn.collection<TokenDoc>(MONGO_COLLECTIONS.tokens);
      const doc = await tokens.findOne({ _id: key });
      return doc ? toTokenEntry(doc) : null;
    });
  }

  /** @inheritDoc */
  async putToken(key: string, value: { blob: string; expiresAt: string | null }, expectedVersion: number | null, at: Date): Promise<TokenEntry> {
    const expiresAt = value.expiresAt === null ? null : parseTime(value.expiresAt, 'expiresAt');
    const conflict = (cause?: unknown) =>
      new ConflictError(`The token entry changed since it was read (expected version ${String(expectedVersion)}).`, {
        retryable: true,
        ...(cause === undefined ? {} : { cause }),
      });
    return this.#conn.run('putToken', async () => {
      const tokens = await this.#conn.collection<TokenDoc>(MONGO_COLLECTIONS.tokens);
      if (expectedVersion === null) {
        const doc: TokenDoc = { _id: key, blob: value.blob, version: 1, expiresAt, updatedAt: at };
        try {
          await tokens.insertOne(doc);
        } catch (err) {
          if (isDuplicateKeyError(err)) throw conflict(err);
          throw err;
        }
        return toTokenEntry(doc);
      }
      // Compare-and-set: the version in the filter makes the write conditional and atomic.
      const doc = await tokens.findOneAndUpdate(
        { _id: key, version: expectedVersion },
        { $set: { blob: value.blob, expiresAt, updatedAt: at, version: expectedVersion + 1 } },
        { returnDocument: 'after' },
      );
      if (!doc) throw conflict();
      return toTokenEntry(doc);
    });
  }

  /** @inheritDoc */
  async deleteToken(key: string): Promise<boolean> {
    return this.#conn.run('deleteToken', async () => {
      const tokens = await this.#conn.collection<TokenDoc>(MONGO_COLLECTIONS.tokens);
      return (await tokens.deleteOne({ _id: key })).deletedCount === 1;
    });
  }

  /** @inheritDoc */
  async listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]> {
    if (!(limit >= 1)) return [];
    return this.#conn.run('listTokensExpiringBefore', async () => {
      const tokens = await this.#conn.collection<TokenDoc>(MONGO_COLLECTIONS.tokens);
      let cursor = tokens.find({ expiresAt: { $ne: null, $lt: before } }).sort({ expiresAt: 1, _id: 1 });
      if (Number.isFinite(limit)) cursor = cursor.limit(Math.floor(limit));
      return (await cursor.toArray()).map(toTokenEntry);
    });
  }
}
