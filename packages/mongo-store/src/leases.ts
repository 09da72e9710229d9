/**
 * The lease port on MongoDB (`locks`): each change is one atomic conditional document update.
 * @module
 */
import type { LockStore } from '@odoo-sync/core';
import type { Lease } from '@odoo-sync/core/store-kit';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { LockDoc } from './documents.js';
import { isDuplicateKeyError } from './driver-errors.js';

/** {@link LockStore} over a shared {@link MongoConnection}. */
export class MongoLeases implements LockStore {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const lease: Lease = { name, owner, expiresAt: expiresAt.toISOString() };
    return this.#conn.run('acquireLease', async () => {
      const locks = await this.#conn.collection<LockDoc>(MONGO_COLLECTIONS.locks);
      try {
        // Matches a lease that is ours or expired; when none matches, the upsert tries to insert
        // `_id: name`, which fails with a duplicate key if another owner holds it: exactly one
        // of any number of concurrent callers wins.
        const doc = await locks.findOneAndUpdate(
          { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
          { $set: { owner, expiresAt } },
          { upsert: true, returnDocument: 'after' },
        );
        return doc?.owner === owner ? lease : null;
      } catch (err) {
        if (isDuplicateKeyError(err)) return null;
        throw err;
      }
    });
  }

  /** @inheritDoc */
  async renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const lease: Lease = { name, owner, expiresAt: expiresAt.toISOString() };
    return this.#conn.run('renewLease', async () => {
      const locks = await this.#conn.collection<LockDoc>(MONGO_COLLECTIONS.locks);
      const doc = await locks.findOneAndUpdate({ _id: name, owner }, { $set: { expiresAt } }, { returnDocument: 'after' });
      return doc ? lease : null;
    });
  }

  /** @inheritDoc */
  async takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const lease: Lease = { name, owner, expiresAt: expiresAt.toISOString() };
    return this.#conn.run('takeOverLease', async () => {
      const locks = await this.#conn.collection<LockDoc>(MONGO_COLLECTIONS.locks);
      // Compare-and-set on the holder: one atomic document update, so of two processes taking
      // over one dead holder only the first matches.
      const doc = await locks.findOneAndUpdate({ _id: name, owner: previousOwner }, { $set: { owner, expiresAt } }, { returnDocument: 'after' });
      return doc?.owner === owner ? lease : null;
    });
  }

  /** @inheritDoc */
  async releaseLease(name: string, owner: string): Promise<boolean> {
    return this.#conn.run('releaseLease', async () => {
      const locks = await this.#conn.collection<LockDoc>(MONGO_COLLECTIONS.locks);
      return (await locks.deleteOne({ _id: name, owner })).deletedCount === 1;
    });
  }

  /** @inheritDoc */
  async getLease(name: string, now: Date): Promise<Lease | null> {
    return this.#conn.run('getLease', async () => {
      const locks = await this.#conn.collection<LockDoc>(MONGO_COLLECTIONS.locks);
      const doc = await locks.findOne({ _id: name, expiresAt: { $gt: now } });
      return doc ? { name, owner: doc.owner, expiresAt: doc.expiresAt.toISOString() } : null;
    });
  }
}
