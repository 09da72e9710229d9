/**
 * The sync-logs port in memory.
 * @module
 */
import type { EntityName } from '../entities/entities.js';
import type { Page, SyncLogEntry, SyncStatus } from '../model.js';
import { decodeCursor, isPairCursor, pageLimit, pageOf } from '../paging.js';
import type { SyncLogQuery, SyncLogStore } from '../ports.js';
import { copy, isBefore, newestFirst, type OpenGuard } from './shared.js';

/** {@link SyncLogStore} in memory. */
export class MemorySyncLogs implements SyncLogStore {
  readonly #open: OpenGuard;
  readonly #logs = new Map<string, SyncLogEntry>();

  /** @param open Throws when the store is closed. */
  constructor(open: OpenGuard) {
    this.#open = open;
  }

  /** Everything held, for the inspector's dump. */
  dump(): SyncLogEntry[] {
    return [...this.#logs.values()];
  }

  async appendSyncLog(entry: SyncLogEntry): Promise<void> {
    this.#open();
    this.#logs.set(entry.id, copy(entry));
  }

  async listSyncLogs(query: SyncLogQuery = {}): Promise<Page<SyncLogEntry>> {
    this.#open();
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const from = query.from?.getTime();
    const to = query.to?.getTime();
    const matches = [...this.#logs.values()]
      .filter((e) => query.entity === undefined || e.entity === query.entity)
      .filter((e) => query.status === undefined || e.status === query.status)
      .filter((e) => query.runId === undefined || e.runId === query.runId)
      .filter((e) => from === undefined || Date.parse(e.startedAt) >= from)
      .filter((e) => to === undefined || Date.parse(e.startedAt) < to)
      .sort(newestFirst((e) => [e.startedAt, e.id]))
      .filter((e) => !after || isBefore([e.startedAt, e.id], after));
    return pageOf(matches, limit, copy, (item) => [item.startedAt, item.id]);
  }

  async latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null> {
    const page = await this.listSyncLogs({ entity, ...(status === undefined ? {} : { status }), limit: 1 });
    return page.items[0] ?? null;
  }

  async pruneSyncLogs(before: Date): Promise<number> {
    this.#open();
    let removed = 0;
    for (const [id, entry] of this.#logs) {
      if (Date.parse(entry.startedAt) < before.getTime()) {
        this.#logs.delete(id);
        removed++;
      }
    }
    return removed;
  }
}
