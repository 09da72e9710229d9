/**
 * The pure heart of reconciliation: given what the source says and what the store holds,
 * decide what to write. No I/O, no clock.
 * @module
 */
import type { EntityName, EntityRecord, EntitySpec, OdooRow } from '../entities/entities.js';
import { mapOdooRowFast } from '../entities/entities.js';
import { hashCanonicalJson, recordHasher } from './hash.js';
import type { IdLookup, SortedIds } from './id-set.js';
import type { InvalidSourceRecord, RecordWrite, SourceRecord, StoredState } from '../model.js';
import { camelCase, isIsoUtcTimestamp, odooDatetime } from '../entities/odoo-values.js';

/** What {@link planReconcile} decided for one page of source records. */
export interface ReconcilePlan<D = EntityRecord> {
  /** Records the store does not have. */
  inserts: RecordWrite<D>[];
  /** Stored records whose data changed and whose active state did not. */
  updates: RecordWrite<D>[];
  /** Inactive stored records that are active in the source again (with their current data). */
  reactivations: RecordWrite<D>[];
  /** Active (or deleted) stored records that are archived in the source now. */
  archives: RecordWrite<D>[];
  /** Ids whose stored record is identical: nothing to write. */
  unchanged: number[];
  /** Rows that failed validation: never written, so good stored data stays. */
  invalid: InvalidSourceRecord[];
}

/** What {@link planDeletions} decided. */
export interface DeletionPlan {
  /** Ids to soft-delete. Empty when `blocked`. */
  softDeletes: number[];
  /** Ids that are gone from the source, whether or not they will be deleted. */
  missing: number[];
  /** True when the mass-deletion guard stopped the deletions. */
  blocked: boolean;
  /** Why it was blocked. */
  reason?: string;
}

/** Options of {@link planDeletions}. */
export interface DeletionOptions {
  /**
   * Largest share (0–1) of the stored records one run may soft-delete.
   * @default 0.2
   */
  maxDeleteRatio?: number;
  /**
   * Delete even above `maxDeleteRatio`.
   * @default false
   */
  force?: boolean;
}

const hashers = new WeakMap<object, (record: object) => string>();

/** The record hasher of a spec: its keys (`odooId` and the fields) are sorted once. */
function hasherOf(spec: EntitySpec<EntityName, { odooId: number }>): (record: object) => string {
  let hasher = hashers.get(spec);
  if (!hasher) {
    hasher = recordHasher(['odooId', ...spec.fields.map((field) => camelCase(field.odoo))]);
    hashers.set(spec, hasher);
  }
  return hasher;
}

function isInvalid<D>(record: SourceRecord<D> | InvalidSourceRecord): record is InvalidSourceRecord {
  return (record as InvalidSourceRecord).invalid === true;
}

/**
 * Turns one source row into a {@link SourceRecord} (normalised, validated, hashed) or an
 * {@link InvalidSourceRecord} with the reason. Pure.
 */
export function toSourceRecord<N extends EntityName, D extends { odooId: number }>(
  spec: EntitySpec<N, D>,
  row: OdooRow,
): SourceRecord<D> | InvalidSourceRecord {
  const odooId = typeof row.id === 'number' && Number.isInteger(row.id) && row.id > 0 ? row.id : 0;
  if (odooId === 0) return { odooId, invalid: true, reason: `id: expected a positive integer, received ${JSON.stringify(row.id)}` };
  const mapped = mapOdooRowFast(spec, row);
  if (!mapped.ok) return { odooId, invalid: true, reason: mapped.reason };
  const writeDate = odooDatetime(row['write_date']);
  return {
    odooId,
    data: mapped.record,
    hash: mapped.write ? hashCanonicalJson(mapped.write(mapped.record)) : hasherOf(spec)(mapped.record),
    active: spec.hasActive ? row['active'] !== false : true,
    writeDate: typeof writeDate === 'string' ? writeDate : null,
  };
}

/**
 * Plans one page: compares each source record with the stored state of the same id.
 *
 * - not stored → insert (stored inactive with reason `archived` when archived in Odoo);
 * - stored inactive, active in source → reactivation;
 * - stored active (or deleted), archived in source → archive;
 * - same state, different hash → update; same state and hash → unchanged.
 *
 * When an id appears twice in `source`, the last occurrence wins. Invalid rows are reported and
 * planned for nothing, so they never overwrite good stored data.
 */
export function planReconcile<D>(
  source: Iterable<SourceRecord<D> | InvalidSourceRecord>,
  stored: ReadonlyMap<number, StoredState>,
): ReconcilePlan<D> {
  const latest = new Map<number, SourceRecord<D> | InvalidSourceRecord>();
  const invalidWithoutId: InvalidSourceRecord[] = [];
  for (const record of source) {
    if (isInvalid(record) && record.odooId === 0) invalidWithoutId.push(record);
    else {
      latest.delete(record.odooId);
      latest.set(record.odooId, record);
    }
  }
  const plan: ReconcilePlan<D> = {
    inserts: [],
    updates: [],
    reactivations: [],
    archives: [],
    unchanged: [],
    invalid: invalidWithoutId,
  };
  for (const record of latest.values()) {
    if (isInvalid(record)) {
      plan.invalid.push(record);
      continue;
    }
    const write: RecordWrite<D> = {
      odooId: record.odooId,
      data: record.data,
      hash: record.hash,
      isActive: record.active,
      inactiveReason: record.active ? null : 'archived',
      odooWriteDate: record.writeDate,
    };
    const state = stored.get(record.odooId);
    if (!state) plan.inserts.push(write);
    else if (record.active && !state.isActive) plan.reactivations.push(write);
    else if (!record.active && (state.isActive || state.inactiveReason !== 'archived')) plan.archives.push(write);
    else if (state.hash !== record.hash) plan.updates.push(write);
    else plan.unchanged.push(record.odooId);
  }
  return plan;
}

/**
 * Plans soft deletions: every stored id (not already deleted) that the source no longer has.
 * The mass-deletion guard blocks the whole plan when it would delete more than
 * `maxDeleteRatio` of the stored records, unless `force` is set.
 *
 * @param sourceIds every id the source has for the entity (active and archived), or a lookup of
 *   them (a `Set`, a {@link SortedIds}) used as it is.
 * @param storedIds every id the store holds for the entity that is not already deleted.
 */
export function planDeletions(
  sourceIds: Iterable<number> | IdLookup,
  storedIds: Iterable<number>,
  options: DeletionOptions = {},
): DeletionPlan {
  const maxDeleteRatio = options.maxDeleteRatio ?? 0.2;
  if (!(maxDeleteRatio >= 0 && maxDeleteRatio <= 1)) {
    throw new TypeError(`maxDeleteRatio must be a number from 0 to 1, received ${String(maxDeleteRatio)}.`);
  }
  // A Set or a SortedIds is looked up as it is: copying a million ids would double the memory.
  const present: IdLookup = 'has' in sourceIds && typeof sourceIds.has === 'function' ? sourceIds : new Set(sourceIds as Iterable<number>);
  const missing: number[] = [];
  let storedCount = 0;
  for (const id of storedIds) {
    storedCount++;
    if (!present.has(id)) missing.push(id);
  }
  missing.sort((a, b) => a - b);
  if (missing.length === 0) return { softDeletes: [], missing, blocked: false };
  const ratio = missing.length / storedCount;
  if (ratio > maxDeleteRatio && options.force !== true) {
    return {
      softDeletes: [],
      missing,
      blocked: true,
      reason:
        `${missing.length} of ${storedCount} stored records (${(ratio * 100).toFixed(1)}%) are missing from Odoo, ` +
        `more than the ${(maxDeleteRatio * 100).toFixed(0)}% allowed in one run; nothing was deleted.`,
    };
  }
  return { softDeletes: missing, missing, blocked: false };
}

/**
 * Where an incremental read starts: the cursor minus the overlap, because Odoo stamps
 * `write_date` with the start time of the writing transaction, so a row can commit "in the past".
 * `null` (no cursor yet) means read everything.
 */
export function incrementalSince(cursor: string | null, overlapMs: number): Date | null {
  if (cursor === null) return null;
  const at = Date.parse(cursor);
  if (Number.isNaN(at)) return null;
  return new Date(at - overlapMs);
}

/**
 * The cursor after a page: the latest `writeDate` of its valid records, or `cursor` when it is
 * later (invalid records never move it). Gives what {@link laterCursor} applied record by record
 * gives. Pure.
 */
export function latestWriteDate<D>(cursor: string | null, records: readonly (SourceRecord<D> | InvalidSourceRecord)[]): string | null {
  let latest = cursor;
  // Whether `latest` is in toISOString's form (then compared as text), worked out when it changes.
  let latestIso = latest !== null && isIsoUtcTimestamp(latest);
  for (const record of records) {
    if (isInvalid(record)) continue;
    const writeDate = record.writeDate;
    if (writeDate === null || writeDate === latest) continue;
    if (latest === null) {
      latest = writeDate;
      latestIso = isIsoUtcTimestamp(latest);
      continue;
    }
    const later = latestIso && isIsoUtcTimestamp(writeDate) ? writeDate > latest : Date.parse(writeDate) > Date.parse(latest);
    if (later) {
      latest = writeDate;
      latestIso = isIsoUtcTimestamp(latest);
    }
  }
  return latest;
}

/** The later of two ISO-8601 cursors (either may be `null`). */
export function laterCursor(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  // Two timestamps in toISOString's form sort as the instants they name: no parsing needed.
  if (isIsoUtcTimestamp(a) && isIsoUtcTimestamp(b)) return b > a ? b : a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
