/**
 * Creating a collection's indexes on MongoDB: plain ones together, retention TTLs one by one
 * (changed in place when the retention changed, dropped when it was switched off).
 * @module
 */
import type { Logger } from '@odoo-sync/core';
import { type EntityDefinition } from '@odoo-sync/core/entities';
import { StoreError } from '@odoo-sync/core/errors';
import type { Collection, Db, IndexDescription } from 'mongodb';
import type { IndexSpec, MongoCollectionName, MongoRetentionOptions } from './collections.js';
import { indexesOf, ttlIndexNameOf } from './collections.js';
import { isTransientDriverError, scrubError } from './driver-errors.js';

/** Server error codes of an index that exists with other options (e.g. another TTL). */
const INDEX_CONFLICT_CODES = new Set([85, 86]);
/** The collection does not exist yet. */
const NAMESPACE_NOT_FOUND = 26;

function toIndexDescription(spec: IndexSpec): IndexDescription {
  return {
    name: spec.name,
    key: spec.key,
    ...(spec.unique ? { unique: true } : {}),
    ...(spec.expireAfterSeconds === undefined ? {} : { expireAfterSeconds: spec.expireAfterSeconds }),
    ...(spec.partialFilterExpression === undefined ? {} : { partialFilterExpression: spec.partialFilterExpression }),
  };
}

function codeOf(err: unknown): unknown {
  return err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
}

/** What {@link createIndexes} needs besides the database. */
export interface IndexContext {
  /** Retention periods (TTL indexes). */
  retention: MongoRetentionOptions;
  /** Logs changed and dropped TTLs. */
  logger: Logger;
  /** Credentials to mask in errors. */
  secrets: readonly string[];
  /** Entity definitions by name (their declared indexes). */
  definitions?: ReadonlyMap<string, EntityDefinition>;
}

/** Creates the indexes of collection `name` (idempotent). */
export async function createIndexes(db: Db, name: MongoCollectionName, context: IndexContext): Promise<void> {
  const { logger, retention, secrets } = context;
  const collection = db.collection(name);
  const specs = indexesOf(name, retention, context.definitions);
  const plain = specs.filter((spec) => spec.expireAfterSeconds === undefined);
  if (plain.length > 0) {
    try {
      await collection.createIndexes(plain.map(toIndexDescription));
    } catch (err) {
      throw new StoreError(`Could not create the indexes of ${name}.`, {
        cause: scrubError(err, secrets),
        retryable: isTransientDriverError(err),
        hint: INDEX_CONFLICT_CODES.has(codeOf(err) as number)
          ? `An index of ${name} exists with another definition; drop it (db.${name}.dropIndex(name)) and it is recreated on next use.`
          : 'Check that the MongoDB user may create indexes (role readWrite or dbAdmin).',
      });
    }
  }
  for (const ttl of specs.filter((spec) => spec.expireAfterSeconds !== undefined)) {
    try {
      await collection.createIndexes([toIndexDescription(ttl)]);
    } catch (err) {
      if (!INDEX_CONFLICT_CODES.has(codeOf(err) as number)) throw err;
      // The retention changed: MongoDB changes a TTL in place with collMod.
      await db.command({ collMod: name, index: { name: ttl.name, expireAfterSeconds: ttl.expireAfterSeconds } });
      logger.info({ collection: name, index: ttl.name, expireAfterSeconds: ttl.expireAfterSeconds }, 'mongo-store changed a retention TTL');
    }
  }
  const ttlName = ttlIndexNameOf(name);
  if (ttlName && !specs.some((spec) => spec.name === ttlName)) await dropIndexIfPresent(collection, ttlName, logger);
  logger.debug({ collection: name, indexes: specs.map((s) => s.name) }, 'mongo-store indexes ensured');
}

/** Drops a retention TTL index left from a configuration that had retention switched on. */
async function dropIndexIfPresent(collection: Collection, indexName: string, logger: Logger): Promise<void> {
  let present = false;
  try {
    present = (await collection.listIndexes().toArray()).some((index) => (index as { name?: unknown }).name === indexName);
  } catch (err) {
    if (codeOf(err) === NAMESPACE_NOT_FOUND) return;
    throw err;
  }
  if (!present) return;
  await collection.dropIndex(indexName);
  logger.info({ collection: collection.collectionName, index: indexName }, 'mongo-store dropped a retention TTL that is no longer configured');
}
