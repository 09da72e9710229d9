/**
 * The records port in memory: synced records and each entity's cursor.
 * @module
 */
import type { EntityName } from '../entities/entities.js';
import type { Page, RecordWrite, StoredState, SyncedRecord } from '../model.js';
import { decodeCursor, isIdCursor, pageLimit, pageOf } from '../paging.js';
import type { RecordCounts, RecordQuery, RecordStore } from '../ports.js';
import { assertDataPath, copy, type OpenGuard, valueAtPath } from './shared.js';

/** {@link RecordStore} in memory. */
export class MemoryRecords implements RecordStore {
  readonly #open: OpenGuard;
  readonly #records = new Map<EntityName, Map<number, SyncedRecord>>();
  readonly #cursors = new Map<EntityName, string>();

  /** @param open Throws when the store is closed. */
  constructor(open: OpenGuard) {
    this.#open = open;
  }

  /** A copy of one stored record, or `null` (for the inspector). */
  raw(entity: EntityName, odooId: number): SyncedRecord | null {
    const record = this.#records.get(entity)?.get(odooId);
    return record ? copy(record) : null;
  }

  /** Everything held, for the inspector's dump. */
  dump(): { records: Array<[EntityName, SyncedRecord[]]>; cursors: Array<[EntityName, string]> } {
    return {
      records: [...this.#records.entries()].map(([entity, map]) => [entity, [...map.values()]]),
      cursors: [...this.#cursors.entries()],
    };
  }


  #entity(entity: EntityName): Map<number, SyncedRecord> {
    let map = this.#records.get(entity);
    if (!map) {
      map = new Map();
      this.#records.set(entity, map);
    }
    return map;
  }

  async getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>> {
    this.#open();
    const map = this.#entity(entity);
    const out = new Map<number, StoredState>();
    for (const id of ids) {
      const record = map.get(id);
      if (record) out.set(id, { hash: record.hash, isActive: record.isActive, inactiveReason: record.inactiveReason });
    }
    return out;
  }

  async upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void> {
    this.#open();
    const map = this.#entity(entity);
    const now = at.toISOString();
    for (const write of writes) {
      const existing = map.get(write.odooId);
      map.set(write.odooId, {
        entity,
        odooId: write.odooId,
        data: copy(write.data) as SyncedRecord['data'],
        hash: write.hash,
        isActive: write.isActive,
        inactiveReason: write.isActive ? null : write.inactiveReason ?? 'archived',
        odooWriteDate: write.odooWriteDate,
        firstSyncedAt: existing?.firstSyncedAt ?? now,
        lastSyncedAt: now,
        deletedAt: null,
      });
    }
  }

  async markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number> {
    this.#open();
    const map = this.#entity(entity);
    let changed = 0;
    for (const id of ids) {
      const record = map.get(id);
      if (!record || record.inactiveReason === 'deleted') continue;
      record.isActive = false;
      record.inactiveReason = 'deleted';
      record.deletedAt = at.toISOString();
      changed++;
    }
    return changed;
  }

  async listLiveIds(entity: EntityName): Promise<number[]> {
    this.#open();
    const ids: number[] = [];
    for (const record of this.#entity(entity).values()) {
      if (record.inactiveReason !== 'deleted') ids.push(record.odooId);
    }
    return ids.sort((a, b) => a - b);
  }

  async getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null> {
    this.#open();
    const record = this.#entity(entity).get(odooId);
    return record ? copy(record) : null;
  }

  async queryRecords(entity: EntityName, query: RecordQuery = {}): Promise<Page<SyncedRecord>> {
    this.#open();
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isIdCursor)[0] : 0;
    const needle = query.search?.text.trim().toLowerCase() ?? '';
    const where = Object.entries(query.where ?? {});
    for (const [path] of where) assertDataPath(path);
    const matches = [...this.#entity(entity).values()]
      .filter((record) => record.odooId > after)
      .filter((record) => query.includeInactive === true || record.isActive)
      .filter((record) => where.every(([path, value]) => (valueAtPath(record.data, path) ?? null) === value))
      .filter((record) => {
        if (!needle || !query.search) return true;
        return query.search.keys.some((key) => {
          const value = valueAtPath(record.data, key);
          return typeof value === 'string' && value.toLowerCase().includes(needle);
        });
      })
      .sort((a, b) => a.odooId - b.odooId);
    return pageOf(matches, limit, copy, (item) => [item.odooId]);
  }

  async countRecords(entity: EntityName): Promise<RecordCounts> {
    this.#open();
    const counts: RecordCounts = { active: 0, archived: 0, deleted: 0 };
    for (const record of this.#entity(entity).values()) {
      if (record.isActive) counts.active++;
      else if (record.inactiveReason === 'deleted') counts.deleted++;
      else counts.archived++;
    }
    return counts;
  }

  async getCursor(entity: EntityName): Promise<string | null> {
    this.#open();
    return this.#cursors.get(entity) ?? null;
  }

  async setCursor(entity: EntityName, cursor: string | null): Promise<void> {
    this.#open();
    if (cursor === null) this.#cursors.delete(entity);
    else this.#cursors.set(entity, cursor);
  }
}
