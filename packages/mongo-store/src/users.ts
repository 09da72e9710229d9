/**
 * The user half of the user port on MongoDB (`users`): people who sign in, unique by id,
 * e-mail (case-insensitive) and sign-in identity.
 * @module
 */
import type { User, UserIdentity, UserStore } from '@odoo-sync/core';
import type { NewUser, Page, UserPatch, UserQuery } from '@odoo-sync/core/store-kit';
import {
  createdUser,
  decodeCursor,
  emailKey,
  identityKey,
  isPairCursor,
  normalizedIdentity,
  pageLimit,
  pageOf,
} from '@odoo-sync/core/store-kit';
import { ConflictError, NotFoundError } from '@odoo-sync/core/errors';
import type { Document, Filter } from 'mongodb';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { UserDoc } from './documents.js';
import { toUser } from './documents.js';
import { duplicateUserField, isDuplicateIdError, isDuplicateKeyError } from './driver-errors.js';
import { and, cursorTime, keysetAfter } from './queries.js';

/** The user methods of {@link UserStore} (its API-key methods are in `api-keys.ts`). */
export type UserRecords = Pick<UserStore, 'createUser' | 'getUser' | 'getUserByEmail' | 'getUserByIdentity' | 'updateUser' | 'listUsers' | 'countUsers'>;

/** The user methods of {@link UserStore} over a shared {@link MongoConnection}. */
export class MongoUsers implements UserRecords {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async createUser(user: NewUser, at: Date): Promise<User> {
    const { id, ...fields } = createdUser(user, at);
    const doc: UserDoc = {
      ...fields,
      _id: id,
      emailKey: emailKey(fields.email),
      ...(fields.identity ? { identityKey: identityKey(fields.identity) } : {}),
      createdAt: at,
      updatedAt: at,
    };
    return this.#conn.run('createUser', async () => {
      const users = await this.#conn.collection<UserDoc>(MONGO_COLLECTIONS.users);
      if (doc.identityKey !== undefined && (await users.findOne({ identityKey: doc.identityKey }, { projection: { _id: 1 } }))) {
        throw new ConflictError('A user with this identity already exists.');
      }
      try {
        await users.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError(
          isDuplicateIdError(err) ? `A user with id ${user.id} already exists.` : `A user with this ${duplicateUserField(err)} already exists.`,
          { cause: err },
        );
      }
      return toUser(doc);
    });
  }

  /** @inheritDoc */
  async getUserByIdentity(identity: UserIdentity): Promise<User | null> {
    return this.#conn.run('getUserByIdentity', async () => {
      const users = await this.#conn.collection<UserDoc>(MONGO_COLLECTIONS.users);
      const doc = await users.findOne({ identityKey: identityKey(identity) });
      return doc ? toUser(doc) : null;
    });
  }

  /** @inheritDoc */
  async getUser(id: string): Promise<User | null> {
    return this.#conn.run('getUser', async () => {
      const users = await this.#conn.collection<UserDoc>(MONGO_COLLECTIONS.users);
      const doc = await users.findOne({ _id: id });
      return doc ? toUser(doc) : null;
    });
  }

  /** @inheritDoc */
  async getUserByEmail(email: string): Promise<User | null> {
    return this.#conn.run('getUserByEmail', async () => {
      const users = await this.#conn.collection<UserDoc>(MONGO_COLLECTIONS.users);
      const doc = await users.findOne({ emailKey: emailKey(email) });
      return doc ? toUser(doc) : null;
    });
  }

  /** @inheritDoc */
  async updateUser(id: string, patch: UserPatch, at: Date): Promise<User> {
    const set: Partial<UserDoc> = { updatedAt: at };
    if (patch.email !== undefined) {
      set.email = patch.email.trim();
      set.emailKey = emailKey(patch.email);
    }
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.odooLink !== undefined) set.odooLink = patch.odooLink;
    if (patch.otherEmails !== undefined) set.otherEmails = [...patch.otherEmails];
    if (patch.reauthRequired !== undefined) set.reauthRequired = patch.reauthRequired;
    const unset: { identityKey?: '' } = {};
    if (patch.identity === null) {
      set.identity = null;
      unset.identityKey = '';
    } else if (patch.identity !== undefined) {
      set.identity = normalizedIdentity(patch.identity);
      set.identityKey = identityKey(patch.identity);
    }
    return this.#conn.run('updateUser', async () => {
      const users = await this.#conn.collection<UserDoc>(MONGO_COLLECTIONS.users);
      if (set.identityKey !== undefined && (await users.findOne({ identityKey: set.identityKey, _id: { $ne: id } }, { projection: { _id: 1 } }))) {
        throw new ConflictError('A user with this identity already exists.');
      }
      let doc: UserDoc | null;
      try {
        doc = await users.findOneAndUpdate(
          { _id: id },
          { $set: set, ...(unset.identityKey === undefined ? {} : { $unset: unset }) },
          { returnDocument: 'after' },
        );
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new ConflictError(`A user with this ${duplicateUserField(err)} already exists.`, { cause: err });
        throw err;
      }
      if (!doc) throw new NotFoundError(`No user with id ${id}.`);
      return toUser(doc);
    });
  }

  /** @inheritDoc */
  async listUsers(query: UserQuery = {}): Promise<Page<User>> {
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const conditions: Filter<Document>[] = [];
    if (query.status !== undefined) conditions.push({ status: query.status });
    if (query.role !== undefined) conditions.push({ role: query.role });
    if (after) conditions.push(keysetAfter('createdAt', cursorTime(after[0]), after[1], 1));
    return this.#conn.run('listUsers', async () => {
      const users = await this.#conn.collection<UserDoc>(MONGO_COLLECTIONS.users);
      const docs = await users
        .find(and(conditions) as Filter<UserDoc>)
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, toUser, (item) => [item.createdAt, item.id]);
    });
  }

  /** @inheritDoc */
  async countUsers(query: Pick<UserQuery, 'status' | 'role'> = {}): Promise<number> {
    const filter: Filter<UserDoc> = {};
    if (query.status !== undefined) filter.status = query.status;
    if (query.role !== undefined) filter.role = query.role;
    return this.#conn.run('countUsers', async () => {
      const users = await this.#conn.collection<UserDoc>(MONGO_COLLECTIONS.users);
      return users.countDocuments(filter);
    });
  }
}
