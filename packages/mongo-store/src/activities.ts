/**
 * The activity port on MongoDB (`activities`): one document per activity.
 * @module
 */
import type { Activity } from '@odoo-sync/core';
import type { ActivityFilter, ActivityQuery, ActivityStore, CheckedActivityQuery, Page } from '@odoo-sync/core/store-kit';
import { checkActivityQuery, pageOf, pageThroughActivities } from '@odoo-sync/core/store-kit';
import type { Filter } from 'mongodb';
import { activityFilter } from './activity-filters.js';
import { writeBatches } from './bulk.js';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { ActivityDoc } from './documents.js';
import { toActivity, toActivityDoc } from './documents.js';

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
  async upsertActivities(activities: readonly Activity[]): Promise<void> {
    // The last copy of an id wins.
    const lasts = new Map<string, ActivityDoc>();
    for (const activity of activities) lasts.set(activity.id, toActivityDoc(activity));
    if (lasts.size === 0) return;
    await this.#conn.run('upsertActivities', async () => {
      const collection = await this.#conn.collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
      const replace = (doc: ActivityDoc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } });
      await writeBatches(collection, [...lasts.values()], {
        batchSize: this.#conn.batchSize,
        plan: async (batch) => batch.map(replace),
        // Two writers upserting one new id at once: the loser's insert fails; replace again.
        replan: (batch) => batch.map(replace),
      });
    });
  }

  /** @inheritDoc */
  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    const checked = checkActivityQuery(query);
    return this.#conn.run('queryActivities', () => this.#page(checked));
  }

  /** @inheritDoc */
  streamActivities(filter: ActivityFilter = {}): AsyncIterable<Activity> {
    return pageThroughActivities(filter, (query) => this.#conn.run('streamActivities', () => this.#page(query)));
  }

  async #page(query: CheckedActivityQuery): Promise<Page<Activity>> {
    const collection = await this.#conn.collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
    const docs = await collection
      .find(activityFilter(query) as Filter<ActivityDoc>)
      .sort({ timestamp: -1, _id: -1 })
      .limit(query.limit + 1)
      .toArray();
    return pageOf(docs, query.limit, toActivity, (item) => [item.timestamp, item.id]);
  }

  /** @inheritDoc */
  async purgeActivities(before: Date): Promise<number> {
    return this.#conn.run('purgeActivities', async () => {
      const collection = await this.#conn.collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
      return (await collection.deleteMany({ timestamp: { $lt: before } })).deletedCount;
    });
  }
}
