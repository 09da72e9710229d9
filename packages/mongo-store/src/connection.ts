/**
 * The connection every port file of the MongoDB store shares: the client (connected once, on
 * first use), each collection's indexes (created once, on first use), driver-error mapping
 * with credentials masked, and closing.
 * @module
 */
import type { EntityName, Logger } from '@odoo-sync/core';
import { type EntityDefinition } from '@odoo-sync/core/entities';
import { ConfigError, StoreError, isOdooSyncError } from '@odoo-sync/core/errors';
import type { Collection, Db, Document, MongoClientOptions } from 'mongodb';
import { MongoClient } from 'mongodb';
import type { MongoCollectionName, MongoRetentionOptions } from './collections.js';
import { connectionSecrets, hostsOf, scrubError, toStoreError } from './driver-errors.js';
import { createIndexes } from './indexes.js';
import type { ResolvedMongoStoreOptions } from './options.js';

/**
 * One MongoDB client and database shared by the port files of a store: each port gets its
 * collections from {@link MongoConnection.collection} and runs its work through
 * {@link MongoConnection.run}, so every driver failure becomes a {@link StoreError} without
 * credentials, and every call after {@link MongoConnection.close} is refused the same way.
 */
export class MongoConnection {
  /** Name of the database. */
  readonly dbName: string;
  /** Documents per bulk write. */
  readonly batchSize: number;
  /** The store's logger. */
  readonly logger: Logger;
  readonly #client: MongoClient;
  readonly #ownsClient: boolean;
  readonly #retention: MongoRetentionOptions;
  /** The entity definitions given, by name (their declared indexes). */
  readonly definitions: ReadonlyMap<EntityName, EntityDefinition>;
  readonly #secrets: string[];
  readonly #hosts: string;
  #connecting: Promise<Db> | null = null;
  #closed = false;
  #closing: Promise<void> | null = null;
  readonly #indexes = new Map<MongoCollectionName, Promise<void>>();

  /**
   * Makes the client from the options, or takes the injected one (a connection string the
   * driver cannot parse is a `ConfigError`). Does not connect.
   */
  constructor(resolved: ResolvedMongoStoreOptions) {
    this.dbName = resolved.dbName;
    this.batchSize = resolved.batchSize;
    this.#retention = resolved.retention;
    this.definitions = new Map(resolved.entities.map((spec) => [spec.name, spec]));
    this.logger = resolved.logger;
    if (resolved.client) {
      this.#client = resolved.client;
      this.#ownsClient = false;
      this.#secrets = [];
      this.#hosts = 'the injected client';
    } else {
      const url = resolved.url as string;
      this.#secrets = connectionSecrets(url);
      this.#hosts = hostsOf(url);
      const clientOptions: MongoClientOptions = { appName: 'odoo-sync', ...resolved.clientOptions };
      try {
        this.#client = new MongoClient(url, clientOptions);
      } catch (err) {
        const cause = scrubError(err, this.#secrets);
        throw new ConfigError(
          'The MongoDB connection string is not valid.',
          [{ path: 'url', message: cause instanceof Error ? cause.message : 'unparseable connection string' }],
          { cause, hint: 'Check the connection string; percent-encode special characters in the user name and password.' },
        );
      }
      this.#ownsClient = true;
    }
  }

  /** `err` with the connection string's credentials masked (for logs). */
  scrub(err: unknown): unknown {
    return scrubError(err, this.#secrets);
  }

  #db(): Promise<Db> {
    if (this.#closed) return Promise.reject(new StoreError('The store is closed.', { retryable: false }));
    this.#connecting ??= this.#connect();
    return this.#connecting;
  }

  async #connect(): Promise<Db> {
    try {
      await this.#client.connect();
    } catch (err) {
      this.#connecting = null;
      const cause = scrubError(err, this.#secrets);
      this.logger.error({ hosts: this.#hosts, dbName: this.dbName, err: cause }, 'mongo-store could not connect');
      throw new StoreError(`Could not connect to MongoDB at ${this.#hosts}.`, {
        cause,
        retryable: true,
        hint: 'Check that MongoDB is running and reachable, and the credentials in the connection string.',
      });
    }
    this.logger.debug({ hosts: this.#hosts, dbName: this.dbName }, 'mongo-store connected');
    return this.#client.db(this.dbName, { ignoreUndefined: true });
  }

  /** The collection, after its indexes were ensured once by this store. */
  async collection<T extends Document>(name: MongoCollectionName): Promise<Collection<T>> {
    const db = await this.#db();
    let ready = this.#indexes.get(name);
    if (!ready) {
      ready = createIndexes(db, name, { retention: this.#retention, logger: this.logger, secrets: this.#secrets, definitions: this.definitions });
      this.#indexes.set(name, ready);
      // A failed attempt is forgotten so the next call tries again.
      ready.catch(() => this.#indexes.delete(name));
    }
    await ready;
    return db.collection<T>(name);
  }

  /** Runs `fn`, turning driver failures into `StoreError` (credentials masked). */
  async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // A call that was in flight when close() ran fails in the driver; say why, once.
      if (this.#closed && !isOdooSyncError(err)) throw new StoreError('The store is closed.', { retryable: false, cause: scrubError(err, this.#secrets) });
      throw toStoreError(err, operation, this.#secrets);
    }
  }

  /** Creates the indexes of these collections now, in order. */
  async ensureIndexes(names: readonly MongoCollectionName[]): Promise<void> {
    await this.run('ensureIndexes', async () => {
      for (const name of names) await this.collection(name);
    });
  }

  /** Resolves when MongoDB answers a `ping`; throws `StoreError` otherwise. */
  async ping(): Promise<void> {
    await this.run('ping', async () => {
      const db = await this.#db();
      await db.command({ ping: 1 });
    });
  }

  /** Closes the client when the store created it (never an injected one). Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      if (!this.#ownsClient) return;
      await this.#connecting?.catch(() => undefined);
      await this.#client.close();
    })();
    await this.#closing;
  }
}
