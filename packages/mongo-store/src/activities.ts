/**
 * The activity port on MongoDB (`activities`): one document per activity.
 * @module
 */
import type { Activity } from '@odoo-sync/core';
import type { ActivityQuery, ActivityStore, Page } from '@odoo-sync/core/store-kit';
import { decodeCursor, isPairCursor, pageLimit, pageOf } from '@odoo-sync/core/store-kit';
import type { Document, Filter } from 'mongodb';
import { writeBatches } from './bulk.js';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { ActivityDoc } from './documents.js';
import { toActivity, toActivityDoc } from './documents.js';
import { and, cursorTime, keysetAfter } from './queries.js';

/** {@link ActivityStore} over a shared {@link MongoConnection}. */
export class MongoActivities implements ActivityStore {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async appendActivities(activities: readonly Activity[]): Promise<void> {
    // The first copy of an id wins, as in MemoryStore.
    const firsts = new Map<string, ActivityDoc>();
    for (const activity of activities) if (!firsts.has(activity.id)) firsts.set(activity.id, toActivityDoc(activity));
    if (firsts.size === 0) return;
    await this.#conn.run('appendActivities', async () => {
      const collection = await this.#conn.collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
      const insertOnly = (doc: ActivityDoc) => {
        const { _id, ...fields } = doc;
        return { updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true } };
      };
      await writeBatches(collection, [...firsts.values()], {
        batchSize: this.#conn.batchSize,
        // Stored ids are left as they are; the rest are inserted.
        plan: async (batch) => {
          const found = await collection.find({ _id: { $in: batch.map((doc) => doc._id) } }, { projection: { _id: 1 } }).toArray();
          const stored = new Set(found.map((doc) => doc._id));
          return batch.filter((doc) => !stored.has(doc._id)).map((document) => ({ insertOne: { document } }));
        },
        replan: (batch) => batch.map(insertOnly),
      });
    });
  }

  /** @inheritDoc */
  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const conditions: Filter<Document>[] = [];
    if (query.activityType !== undefined) conditions.push({ activityType: { $eq: query.activityType } });
    if (query.entityType !== undefined) conditions.push({ entityType: { $eq: query.entityType } });
    if (query.entityId !== undefined) conditions.push({ entityId: { $eq: query.entityId } });
    if (query.userId !== undefined) conditions.push({ userId: { $eq: query.userId } });
    if (query.from !== undefined) conditions.push({ timestamp: { $gte: query.from } });
    if (query.to !== undefined) conditions.push({ timestamp: { $lt: query.to } });
    if (after) conditions.push(keysetAfter('timestamp', cursorTime(after[0]), after[1], -1));
    return this.#conn.run('queryActivities', async () => {
      const collection = await this.#conn.collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
      const docs = await collection
        .find(and(conditions) as Filter<ActivityDoc>)
        .sort({ timestamp: -1, _id: -1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, toActivity, (item) => [item.timestamp, item.id]);
    });
  }

  /** @inheritDoc */
  async purgeActivities(before: Date): Promise<number> {
    return this.#conn.run('purgeActivities', async () => {
      const collection = await this.#conn.collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
      return (await collection.deleteMany({ timestamp: { $lt: before } })).deletedCount;
    });
  }
}
