/**
 * The sync-log port on MongoDB (`sync_logs`): one document per entity per run.
 * @module
 */
import type { EntityName, SyncLogEntry, SyncLogStore } from '@odoo-sync/core';
import type { Page, SyncLogQuery, SyncStatus } from '@odoo-sync/core/store-kit';
import { decodeCursor, isPairCursor, pageLimit, pageOf } from '@odoo-sync/core/store-kit';
import type { Document, Filter } from 'mongodb';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { SyncLogDoc } from './documents.js';
import { toSyncLogDoc, toSyncLogEntry } from './documents.js';
import { and, cursorTime, keysetAfter } from './queries.js';

/** {@link SyncLogStore} over a shared {@link MongoConnection}. */
export class MongoSyncLogs implements SyncLogStore {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async appendSyncLog(entry: SyncLogEntry): Promise<void> {
    const doc = toSyncLogDoc(entry);
    await this.#conn.run('appendSyncLog', async () => {
      const logs = await this.#conn.collection<SyncLogDoc>(MONGO_COLLECTIONS.syncLogs);
      const { _id, ...fields } = doc;
      await logs.replaceOne({ _id }, fields, { upsert: true });
    });
  }

  /** @inheritDoc */
  async listSyncLogs(query: SyncLogQuery = {}): Promise<Page<SyncLogEntry>> {
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const conditions: Filter<Document>[] = [];
    if (query.entity !== undefined) conditions.push({ entity: query.entity });
    if (query.status !== undefined) conditions.push({ status: query.status });
    if (query.runId !== undefined) conditions.push({ runId: query.runId });
    if (query.from !== undefined) conditions.push({ startedAt: { $gte: query.from } });
    if (query.to !== undefined) conditions.push({ startedAt: { $lt: query.to } });
    if (after) conditions.push(keysetAfter('startedAt', cursorTime(after[0]), after[1], -1));
    return this.#conn.run('listSyncLogs', async () => {
      const logs = await this.#conn.collection<SyncLogDoc>(MONGO_COLLECTIONS.syncLogs);
      const docs = await logs
        .find(and(conditions) as Filter<SyncLogDoc>)
        .sort({ startedAt: -1, _id: -1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, toSyncLogEntry, (item) => [item.startedAt, item.id]);
    });
  }

  /** @inheritDoc */
  async latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null> {
    const page = await this.listSyncLogs({ entity, ...(status === undefined ? {} : { status }), limit: 1 });
    return page.items[0] ?? null;
  }

  /** @inheritDoc */
  async pruneSyncLogs(before: Date): Promise<number> {
    return this.#conn.run('pruneSyncLogs', async () => {
      const logs = await this.#conn.collection<SyncLogDoc>(MONGO_COLLECTIONS.syncLogs);
      return (await logs.deleteMany({ startedAt: { $lt: before } })).deletedCount;
    });
  }
}
