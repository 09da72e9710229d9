/**
 * The stored document of each collection and its conversion to and from the port types.
 *
 * Times odoo-sync reads or writes as ISO-8601 strings are stored as BSON dates (so they sort,
 * range and expire natively) and read back with `toISOString()`; the exceptions are values that
 * are source data or opaque to the store (`odooWriteDate`, sync cursors, `odooLink.linkedAt`),
 * which are kept as the strings given. Documents are rebuilt field by field on the way out, so
 * nothing internal (`_id`, `emailKey`) leaks, whatever the server returns.
 * @module
 */
import type {
  Activity,
  ApiKey,
  EntityName,
  JsonValue,
  OdooLink,
  SyncedRecord,
  SyncLogEntry,
  TokenEntry,
  User,
  UserIdentity,
} from '@odoo-sync/core';
import type { EntityRecord, InactiveReason, RecordWrite, UserRole, UserStatus } from '@odoo-sync/core/store-kit';
import { titleKey } from '@odoo-sync/core/store-kit';
import { InputError } from '@odoo-sync/core/errors';
import type { AnyBulkWriteOperation } from 'mongodb';

/** A synced record in its entity collection (`_id` is an ObjectId; `odooId` is unique). */
export interface RecordDoc {
  odooId: number;
  data: unknown;
  hash: string;
  isActive: boolean;
  inactiveReason: InactiveReason | null;
  odooWriteDate: string | null;
  firstSyncedAt: Date;
  lastSyncedAt: Date;
  deletedAt: Date | null;
}

/** A `sync_logs` entry: the entry's fields, `_id` = entry id, times as dates. */
export type SyncLogDoc = Omit<SyncLogEntry, 'id' | 'startedAt' | 'finishedAt'> & { _id: string; startedAt: Date; finishedAt: Date };

/** A `sync_cursors` document. */
export interface CursorDoc {
  _id: string;
  cursor: string;
}

/** A `settings` document. */
export interface SettingDoc {
  _id: string;
  value: JsonValue;
}

/** A `locks` document. */
export interface LockDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

/** An `idempotency_keys` document (`_id` = the key). */
export interface IdempotencyKeyDoc {
  _id: string;
  fingerprint: string;
  state: 'pending' | 'done';
  /** HTTP status of the stored answer; `null` while pending. */
  status: number | null;
  /** The stored answer's body as JSON text; `null` while pending. */
  body: string | null;
  createdAt: Date;
  expiresAt: Date;
  pendingUntil: Date;
}

/** A `users` document; `emailKey` (trimmed, lower case) carries the unique index. */
export interface UserDoc {
  _id: string;
  email: string;
  emailKey: string;
  name: string;
  role: UserRole;
  status: UserStatus;
  odooLink: OdooLink | null;
  /** Absent in documents written before it existed: read as `[]`. */
  otherEmails?: string[];
  reauthRequired: boolean;
  /** Absent in documents written before it existed, and `null` without one. */
  identity?: UserIdentity | null;
  /**
   * `<tenantId>/<objectId>` (core's `identityKey`) when the user has an identity, absent
   * otherwise: it carries the unique partial index.
   */
  identityKey?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An `api_keys` document. */
export interface ApiKeyDoc {
  _id: string;
  userId: string;
  keyHash: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** An `activities` document. */
export type ActivityDoc = Omit<Activity, 'id' | 'timestamp' | 'source'> & {
  _id: string;
  timestamp: Date;
  /** Absent on activities stored before sources existed (read as `app`). */
  source?: Activity['source'];
  /** The title in core's `titleKey` form, for `titleContains`. */
  titleKey?: string;
};

/** A `tokens` document. */
export interface TokenDoc {
  _id: string;
  blob: string;
  version: number;
  expiresAt: Date | null;
  updatedAt: Date;
}

/** Parses an ISO-8601 time given to the store; throws {@link InputError} when it is not one. */
export function parseTime(value: string, path: string): Date {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new InputError(`${path} is not a valid ISO-8601 time.`, [{ path, message: `expected an ISO-8601 time, received ${JSON.stringify(value)}` }]);
  }
  return new Date(time);
}

/** Like {@link parseTime}, keeping `null`. */
export function parseOptionalTime(value: string | null, path: string): Date | null {
  return value === null ? null : parseTime(value, path);
}

/** A stored time as ISO-8601 (a date, or a string kept as it was written by someone else). */
export function isoOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : isoOf(value);
}

/** Throws {@link InputError} unless every write has a safe integer `odooId`. */
export function assertOdooIds(writes: readonly { odooId: number }[]): void {
  for (const write of writes) {
    if (!Number.isSafeInteger(write.odooId)) {
      throw new InputError('odooId must be an integer.', [{ path: 'odooId', message: `received ${String(write.odooId)}` }]);
    }
  }
}

/** The inactive reason MemoryStore stores for a write. */
function inactiveReasonOf(write: RecordWrite): InactiveReason | null {
  return write.isActive ? null : (write.inactiveReason ?? 'archived');
}

/** The document of a record written for the first time. */
export function newRecordDoc(write: RecordWrite, at: Date): RecordDoc {
  return {
    odooId: write.odooId,
    data: write.data,
    hash: write.hash,
    isActive: write.isActive,
    inactiveReason: inactiveReasonOf(write),
    odooWriteDate: write.odooWriteDate,
    firstSyncedAt: at,
    lastSyncedAt: at,
    deletedAt: null,
  };
}

/** An upsert of a record: replaces the envelope, keeps `firstSyncedAt` of a stored record. */
export function recordUpsert(write: RecordWrite, at: Date): AnyBulkWriteOperation<RecordDoc> {
  return {
    updateOne: {
      filter: { odooId: write.odooId },
      update: {
        $set: {
          data: write.data,
          hash: write.hash,
          isActive: write.isActive,
          inactiveReason: inactiveReasonOf(write),
          odooWriteDate: write.odooWriteDate,
          lastSyncedAt: at,
          deletedAt: null,
        },
        $setOnInsert: { firstSyncedAt: at },
      },
      upsert: true,
    },
  };
}

/** The port's view of a record document. */
export function toSyncedRecord(entity: EntityName, doc: RecordDoc): SyncedRecord {
  return {
    entity,
    odooId: doc.odooId,
    data: doc.data as EntityRecord,
    hash: doc.hash,
    isActive: doc.isActive,
    inactiveReason: doc.inactiveReason ?? null,
    odooWriteDate: doc.odooWriteDate ?? null,
    firstSyncedAt: isoOf(doc.firstSyncedAt),
    lastSyncedAt: isoOf(doc.lastSyncedAt),
    deletedAt: isoOrNull(doc.deletedAt),
  };
}

/** The document of a sync log entry. */
export function toSyncLogDoc(entry: SyncLogEntry): SyncLogDoc {
  const { id, startedAt, finishedAt, ...rest } = entry;
  return { ...rest, _id: id, startedAt: parseTime(startedAt, 'startedAt'), finishedAt: parseTime(finishedAt, 'finishedAt') };
}

/** The entry of a sync log document. */
export function toSyncLogEntry(doc: SyncLogDoc): SyncLogEntry {
  const { _id, startedAt, finishedAt, ...rest } = doc;
  return { id: _id, ...rest, startedAt: isoOf(startedAt), finishedAt: isoOf(finishedAt) };
}

/** The user of a user document. */
export function toUser(doc: UserDoc): User {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    role: doc.role,
    status: doc.status,
    odooLink: doc.odooLink ?? null,
    otherEmails: Array.isArray(doc.otherEmails) ? [...doc.otherEmails] : [],
    reauthRequired: doc.reauthRequired === true,
    identity: doc.identity ? { tenantId: doc.identity.tenantId, objectId: doc.identity.objectId } : null,
    createdAt: isoOf(doc.createdAt),
    updatedAt: isoOf(doc.updatedAt),
  };
}

/** The document of an API key. */
export function toApiKeyDoc(key: ApiKey): ApiKeyDoc {
  return {
    _id: key.id,
    userId: key.userId,
    keyHash: key.keyHash,
    label: key.label,
    createdAt: parseTime(key.createdAt, 'createdAt'),
    lastUsedAt: parseOptionalTime(key.lastUsedAt, 'lastUsedAt'),
    revokedAt: parseOptionalTime(key.revokedAt, 'revokedAt'),
  };
}

/** The API key of a document. */
export function toApiKey(doc: ApiKeyDoc): ApiKey {
  return {
    id: doc._id,
    userId: doc.userId,
    keyHash: doc.keyHash,
    label: doc.label,
    createdAt: isoOf(doc.createdAt),
    lastUsedAt: isoOrNull(doc.lastUsedAt),
    revokedAt: isoOrNull(doc.revokedAt),
  };
}

/** The document of an activity. */
export function toActivityDoc(activity: Activity): ActivityDoc {
  const { id, timestamp, ...rest } = activity;
  return { ...rest, _id: id, timestamp: parseTime(timestamp, 'timestamp'), titleKey: titleKey(activity.title) };
}

/** The activity of a document. */
export function toActivity(doc: ActivityDoc): Activity {
  const { _id, timestamp, titleKey: _key, source, ...rest } = doc;
  return { id: _id, ...rest, source: source ?? 'app', timestamp: isoOf(timestamp) };
}

/** The token entry of a document. */
export function toTokenEntry(doc: TokenDoc): TokenEntry {
  return { key: doc._id, blob: doc.blob, version: doc.version, expiresAt: isoOrNull(doc.expiresAt), updatedAt: isoOf(doc.updatedAt) };
}
