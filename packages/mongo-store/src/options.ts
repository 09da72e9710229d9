/**
 * MongoStore options and their validation.
 * @module
 */
import type { Logger } from '@odoo-sync/core';
import { type EntityDefinition, entityRegistry } from '@odoo-sync/core/entities';
import { silentLogger } from '@odoo-sync/core';
import type { MongoClient, MongoClientOptions } from 'mongodb';
import { MAX_BATCH_SIZE } from './bulk.js';
import type { MongoRetentionOptions } from './collections.js';
import { DEFAULT_MONGO_DB_NAME, isEntityCollection } from './collections.js';

/**
 * Options of {@link MongoStore}. Give either `url` (the store creates, owns and closes its
 * client) or `client` (yours: the store never closes it).
 *
 * @example
 * ```ts
 * new MongoStore({ url: process.env.MONGODB_URI, dbName: 'data_lake_serving' });
 * new MongoStore({ client: existingMongoClient, retention: { activitiesDays: 365 } });
 * ```
 */
export interface MongoStoreOptions {
  /**
   * Connection string (`mongodb://…` or `mongodb+srv://…`). Its credentials never appear in
   * errors or logs.
   */
  url?: string;
  /** A client you own; the store uses it and leaves closing it to you. */
  client?: MongoClient;
  /** Options for the client the store creates from `url` (ignored with `client`). */
  clientOptions?: MongoClientOptions;
  /**
   * Database holding every collection.
   * @default 'data_lake_serving'
   */
  dbName?: string;
  /**
   * Operations per bulk write, 1–1000.
   * @default 1000
   */
  batchSize?: number;
  /**
   * Retention enforced by MongoDB TTL indexes.
   * @default {} (none: data stays until the prune/purge methods remove it)
   */
  retention?: MongoRetentionOptions;
  /**
   * Structured logger (pino fits). Never receives credentials.
   * @default silentLogger
   */
  logger?: Logger;
  /**
   * Definitions of the entities whose declared indexes (`defineEntity({ indexes })`) the store
   * creates on their collections, and whose collections `ensureIndexes` prepares. Records of
   * any entity can be stored either way (its collection gets the indexes every entity has);
   * a name MongoStore uses for its own collections (`users`, `settings`, …) is refused.
   * @default []
   */
  entities?: readonly EntityDefinition[];
}

/** {@link MongoStoreOptions} after validation, defaults applied. */
export interface ResolvedMongoStoreOptions {
  url: string | undefined;
  client: MongoClient | undefined;
  clientOptions: MongoClientOptions;
  dbName: string;
  batchSize: number;
  retention: MongoRetentionOptions;
  logger: Logger;
  entities: readonly EntityDefinition[];
}

// MongoDB's rules for database names: no /\. "$*<>:|? or spaces, NUL, at most 63 bytes.
const DB_NAME = /^[^/\\. "$*<>:|?\0]{1,63}$/;

function positiveDays(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`MongoStore option ${name} must be a positive integer number of days, received ${String(value)}.`);
  }
  return value;
}

/**
 * Validates {@link MongoStoreOptions} and applies defaults. Throws a `TypeError` naming the
 * offending option; never includes the connection string in the message.
 */
export function resolveMongoStoreOptions(options: MongoStoreOptions): ResolvedMongoStoreOptions {
  if (!options || typeof options !== 'object') throw new TypeError('MongoStore needs an options object.');
  const { url, client } = options;
  if ((url === undefined) === (client === undefined)) {
    throw new TypeError('MongoStore needs exactly one of the options url and client.');
  }
  if (url !== undefined && (typeof url !== 'string' || !/^mongodb(\+srv)?:\/\//.test(url))) {
    throw new TypeError('MongoStore option url must be a connection string starting with mongodb:// or mongodb+srv://.');
  }
  if (client !== undefined && (client === null || typeof (client as { db?: unknown }).db !== 'function')) {
    throw new TypeError('MongoStore option client must be a MongoClient.');
  }
  const dbName = options.dbName ?? DEFAULT_MONGO_DB_NAME;
  if (typeof dbName !== 'string' || !DB_NAME.test(dbName) || Buffer.byteLength(dbName) > 63) {
    throw new TypeError(`MongoStore option dbName "${dbName}" is not a valid MongoDB database name.`);
  }
  const batchSize = options.batchSize ?? MAX_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new TypeError(`MongoStore option batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}, received ${String(batchSize)}.`);
  }
  const retention: MongoRetentionOptions = {};
  const activitiesDays = positiveDays(options.retention?.activitiesDays, 'retention.activitiesDays');
  const syncLogsDays = positiveDays(options.retention?.syncLogsDays, 'retention.syncLogsDays');
  if (activitiesDays !== undefined) retention.activitiesDays = activitiesDays;
  if (syncLogsDays !== undefined) retention.syncLogsDays = syncLogsDays;
  // Throws EntityDefinitionError for duplicate names, bad paths or unknown references.
  const entities = options.entities === undefined ? [] : entityRegistry(options.entities).definitions;
  for (const spec of entities) {
    if (!isEntityCollection(spec.name)) throw new TypeError(`MongoStore option entities: "${spec.name}" is the name of one of MongoStore's own collections; rename the entity.`);
  }
  return {
    entities,
    url,
    client,
    clientOptions: options.clientOptions ?? {},
    dbName,
    batchSize,
    retention,
    logger: options.logger ?? silentLogger,
  };
}
