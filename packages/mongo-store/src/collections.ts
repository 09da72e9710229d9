/**
 * The collections MongoStore uses and the indexes each one needs: pure data, no I/O.
 * @module
 */
import type { EntityName } from '@odoo-sync/core';
import { type EntityDefinition, entityIndexName } from '@odoo-sync/core/entities';
import { ENTITY_NAMES } from '@odoo-sync/core';
import type { IndexDirection } from 'mongodb';

/** Database name used when none is given. */
export const DEFAULT_MONGO_DB_NAME = 'data_lake_serving';

/**
 * Names of the collections that are not per entity. Each entity's records live in a collection
 * named after the entity (`contact`, `account`, `opportunity`, `invoice`, `employee`, `odoo_user`).
 */
export const MONGO_COLLECTIONS = {
  /** One entry per entity per run (`_id` = entry id). */
  syncLogs: 'sync_logs',
  /** Each entity's sync cursor (`_id` = entity name). */
  syncCursors: 'sync_cursors',
  /** Small JSON settings (`_id` = key). */
  settings: 'settings',
  /** Leases (`_id` = lease name). */
  locks: 'locks',
  /** People who sign in (`_id` = user id). */
  users: 'users',
  /** API key records, hash only (`_id` = key id). */
  apiKeys: 'api_keys',
  /** Activity timeline (`_id` = activity id). */
  activities: 'activities',
  /** Encrypted token caches (`_id` = partition key). */
  tokens: 'tokens',
} as const;

/** Name of a collection MongoStore writes. */
export type MongoCollectionName = string;

const RESERVED: ReadonlySet<string> = new Set(Object.values(MONGO_COLLECTIONS));

/** True when `name` is an entity's collection (any name but those of {@link MONGO_COLLECTIONS}). */
export function isEntityCollection(name: string): boolean {
  return !RESERVED.has(name);
}

/**
 * Every collection MongoStore may write, entity collections first: the built-in entities, then
 * the entities of `definitions` that are not built in.
 */
export function mongoCollectionNames(definitions: readonly EntityDefinition[] = []): MongoCollectionName[] {
  const entities = new Set<string>([...ENTITY_NAMES, ...definitions.map((spec) => spec.name)]);
  return [...entities, ...Object.values(MONGO_COLLECTIONS)];
}

/** Retention periods that MongoDB enforces itself through TTL indexes. */
export interface MongoRetentionOptions {
  /**
   * Delete activities this many days after their `timestamp` (a TTL index on `activities`).
   * Leave unset to keep them until `purgeActivities` removes them.
   * @default undefined (no TTL index)
   */
  activitiesDays?: number;
  /**
   * Delete sync log entries this many days after their `startedAt` (a TTL index on `sync_logs`).
   * Leave unset to keep them until `pruneSyncLogs` removes them.
   * @default undefined (no TTL index)
   */
  syncLogsDays?: number;
}

/** One index MongoStore creates. */
export interface IndexSpec {
  /** Stable index name (what `listIndexes` shows). */
  name: string;
  /** Key pattern. */
  key: Record<string, IndexDirection>;
  /** Unique index. */
  unique?: boolean;
  /** TTL in seconds (a TTL index). */
  expireAfterSeconds?: number;
  /** Only documents matching this filter are indexed (a partial index). */
  partialFilterExpression?: Record<string, unknown>;
}

/** Name of the TTL index on `activities`. */
export const ACTIVITIES_TTL_INDEX = 'activities_retention_ttl';
/** Name of the TTL index on `sync_logs`. */
export const SYNC_LOGS_TTL_INDEX = 'sync_logs_retention_ttl';

/**
 * Many-to-one fields of each entity that the API filters on (`where: { 'userId.id': 7 }`):
 * salesperson and partner of opportunities, partner of invoices, user of employees, account
 * of contacts. Each gets an index on `data.<field>.id`.
 */
export const RELATION_INDEX_FIELDS: { readonly [N in EntityName]: readonly string[] } = {
  account: [],
  contact: ['parentId'],
  opportunity: ['userId', 'partnerId'],
  invoice: ['partnerId'],
  employee: ['userId'],
  odoo_user: [],
};

const DAY_SECONDS = 86_400;

/**
 * The indexes of an entity collection: those every entity has, its relation indexes (built-in
 * entities) and those its definition declares (named by `entityIndexName`, on `data.<path>`).
 */
export function entityIndexes(entity: EntityName, definition?: EntityDefinition): IndexSpec[] {
  return [
    { name: 'odooId_unique', key: { odooId: 1 }, unique: true },
    { name: 'isActive_odooId', key: { isActive: 1, odooId: 1 } },
    { name: 'inactiveReason_odooId', key: { inactiveReason: 1, odooId: 1 } },
    { name: 'odooWriteDate', key: { odooWriteDate: -1 } },
    ...(RELATION_INDEX_FIELDS[entity] ?? []).map((field) => ({ name: `data_${field}_id`, key: { [`data.${field}.id`]: 1 as const } })),
    ...(definition?.indexes ?? []).map((index) => ({
      name: entityIndexName(entity, index),
      key: Object.fromEntries(index.fields.map((path) => [`data.${path}`, 1 as const])),
    })),
  ];
}

/**
 * The indexes of a collection (entity or not), given the retention options. A collection
 * without extra indexes (`settings`, `locks`, `sync_cursors`) has only MongoDB's `_id` index.
 */
export function indexesOf(
  collection: MongoCollectionName,
  retention: MongoRetentionOptions = {},
  definitions: ReadonlyMap<EntityName, EntityDefinition> = new Map(),
): IndexSpec[] {
  if (isEntityCollection(collection)) return entityIndexes(collection, definitions.get(collection));
  switch (collection) {
    case MONGO_COLLECTIONS.syncLogs:
      return [
        { name: 'startedAt_id', key: { startedAt: -1, _id: -1 } },
        { name: 'entity_startedAt_id', key: { entity: 1, startedAt: -1, _id: -1 } },
        { name: 'entity_status_startedAt_id', key: { entity: 1, status: 1, startedAt: -1, _id: -1 } },
        { name: 'runId', key: { runId: 1 } },
        ...(retention.syncLogsDays === undefined
          ? []
          : [{ name: SYNC_LOGS_TTL_INDEX, key: { startedAt: 1 as const }, expireAfterSeconds: retention.syncLogsDays * DAY_SECONDS }]),
      ];
    case MONGO_COLLECTIONS.users:
      return [
        { name: 'emailKey_unique', key: { emailKey: 1 }, unique: true },
        // Partial: users without an identity have no identityKey and never collide.
        { name: 'identityKey_unique', key: { identityKey: 1 }, unique: true, partialFilterExpression: { identityKey: { $type: 'string' } } },
        { name: 'createdAt_id', key: { createdAt: 1, _id: 1 } },
        { name: 'status_createdAt_id', key: { status: 1, createdAt: 1, _id: 1 } },
      ];
    case MONGO_COLLECTIONS.apiKeys:
      return [
        { name: 'keyHash_unique', key: { keyHash: 1 }, unique: true },
        { name: 'userId_createdAt_id', key: { userId: 1, createdAt: 1, _id: 1 } },
      ];
    case MONGO_COLLECTIONS.activities:
      return [
        { name: 'timestamp_id', key: { timestamp: -1, _id: -1 } },
        { name: 'userId_timestamp_id', key: { userId: 1, timestamp: -1, _id: -1 } },
        { name: 'entity_timestamp_id', key: { entityType: 1, entityId: 1, timestamp: -1, _id: -1 } },
        { name: 'entityType_timestamp_id', key: { entityType: 1, timestamp: -1, _id: -1 } },
        { name: 'activityType_timestamp_id', key: { activityType: 1, timestamp: -1, _id: -1 } },
        { name: 'source_timestamp_id', key: { source: 1, timestamp: -1, _id: -1 } },
        ...(retention.activitiesDays === undefined
          ? []
          : [{ name: ACTIVITIES_TTL_INDEX, key: { timestamp: 1 as const }, expireAfterSeconds: retention.activitiesDays * DAY_SECONDS }]),
      ];
    case MONGO_COLLECTIONS.tokens:
      return [{ name: 'expiresAt_id', key: { expiresAt: 1, _id: 1 } }];
    default:
      return [];
  }
}

/** The TTL index a collection may carry (to drop it when its retention is switched off). */
export function ttlIndexNameOf(collection: MongoCollectionName): string | null {
  if (collection === MONGO_COLLECTIONS.activities) return ACTIVITIES_TTL_INDEX;
  if (collection === MONGO_COLLECTIONS.syncLogs) return SYNC_LOGS_TTL_INDEX;
  return null;
}
