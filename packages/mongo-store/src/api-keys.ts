/**
 * The API-key half of the user port on MongoDB (`api_keys`): key records, stored by hash only.
 * @module
 */
import type { ApiKey, UserStore } from '@odoo-sync/core';
import { ConflictError } from '@odoo-sync/core/errors';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { ApiKeyDoc } from './documents.js';
import { toApiKey, toApiKeyDoc } from './documents.js';
import { isDuplicateIdError, isDuplicateKeyError } from './driver-errors.js';

/** The API-key methods of {@link UserStore}. */
export type ApiKeyRecords = Pick<UserStore, 'createApiKey' | 'findApiKeyByHash' | 'listApiKeys' | 'touchApiKey' | 'revokeApiKey'>;

/** The API-key methods of {@link UserStore} over a shared {@link MongoConnection}. */
export class MongoApiKeys implements ApiKeyRecords {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async createApiKey(key: ApiKey): Promise<ApiKey> {
    const doc = toApiKeyDoc(key);
    return this.#conn.run('createApiKey', async () => {
      const keys = await this.#conn.collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      try {
        await keys.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError(
          isDuplicateIdError(err) ? `An API key with id ${key.id} already exists.` : 'An API key with this hash already exists.',
          { cause: err },
        );
      }
      return toApiKey(doc);
    });
  }

  /** @inheritDoc */
  async findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.#conn.run('findApiKeyByHash', async () => {
      const keys = await this.#conn.collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      const doc = await keys.findOne({ keyHash: { $eq: keyHash }, revokedAt: null });
      return doc ? toApiKey(doc) : null;
    });
  }

  /** @inheritDoc */
  async listApiKeys(userId: string): Promise<ApiKey[]> {
    return this.#conn.run('listApiKeys', async () => {
      const keys = await this.#conn.collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      const docs = await keys.find({ userId: { $eq: userId } }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(toApiKey);
    });
  }

  /** @inheritDoc */
  async touchApiKey(id: string, at: Date): Promise<void> {
    await this.#conn.run('touchApiKey', async () => {
      const keys = await this.#conn.collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      await keys.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
    });
  }

  /** @inheritDoc */
  async revokeApiKey(id: string, at: Date): Promise<boolean> {
    return this.#conn.run('revokeApiKey', async () => {
      const keys = await this.#conn.collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      return (await keys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } })).matchedCount === 1;
    });
  }
}
