/**
 * The users port in memory: users and their API keys.
 * @module
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { Page } from '../model.js';
import { decodeCursor, isPairCursor, pageLimit, pageOf } from '../paging.js';
import type { ApiKey, NewUser, User, UserIdentity, UserPatch, UserQuery, UserStore } from '../ports.js';
import { createdUser, emailKey, identityKey, patchedUser } from '../user-records.js';
import { comparePairs, copy, type OpenGuard } from './shared.js';

/** {@link UserStore} in memory. */
export class MemoryUsers implements UserStore {
  readonly #open: OpenGuard;
  readonly #users = new Map<string, User>();
  readonly #apiKeys = new Map<string, ApiKey>();

  /** @param open Throws when the store is closed. */
  constructor(open: OpenGuard) {
    this.#open = open;
  }

  /** A copy of one stored user, or `null` (for the inspector). */
  raw(id: string): User | null {
    const user = this.#users.get(id);
    return user ? copy(user) : null;
  }

  /** Everything held, for the inspector's dump. */
  dump(): { users: User[]; apiKeys: ApiKey[] } {
    return { users: [...this.#users.values()], apiKeys: [...this.#apiKeys.values()] };
  }

  #emailTaken(email: string, exceptId?: string): boolean {
    const key = emailKey(email);
    for (const user of this.#users.values()) {
      if (user.id !== exceptId && emailKey(user.email) === key) return true;
    }
    return false;
  }

  #identityTaken(identity: UserIdentity, exceptId?: string): boolean {
    const key = identityKey(identity);
    for (const user of this.#users.values()) {
      if (user.id !== exceptId && user.identity !== null && identityKey(user.identity) === key) return true;
    }
    return false;
  }

  async createUser(user: NewUser, at: Date): Promise<User> {
    this.#open();
    if (this.#users.has(user.id)) throw new ConflictError(`A user with id ${user.id} already exists.`);
    if (this.#emailTaken(user.email)) throw new ConflictError('A user with this e-mail already exists.');
    if (user.identity && this.#identityTaken(user.identity)) throw new ConflictError('A user with this identity already exists.');
    const created = createdUser(user, at);
    this.#users.set(user.id, created);
    return copy(created);
  }

  async getUser(id: string): Promise<User | null> {
    this.#open();
    const user = this.#users.get(id);
    return user ? copy(user) : null;
  }

  async getUserByEmail(email: string): Promise<User | null> {
    this.#open();
    const key = emailKey(email);
    for (const user of this.#users.values()) if (emailKey(user.email) === key) return copy(user);
    return null;
  }

  async getUserByIdentity(identity: UserIdentity): Promise<User | null> {
    this.#open();
    const key = identityKey(identity);
    for (const user of this.#users.values()) if (user.identity !== null && identityKey(user.identity) === key) return copy(user);
    return null;
  }

  async updateUser(id: string, patch: UserPatch, at: Date): Promise<User> {
    this.#open();
    const user = this.#users.get(id);
    if (!user) throw new NotFoundError(`No user with id ${id}.`);
    if (patch.email !== undefined && this.#emailTaken(patch.email, id)) {
      throw new ConflictError('A user with this e-mail already exists.');
    }
    if (patch.identity && this.#identityTaken(patch.identity, id)) {
      throw new ConflictError('A user with this identity already exists.');
    }
    const updated = patchedUser(user, patch, at);
    this.#users.set(id, updated);
    return copy(updated);
  }

  async listUsers(query: UserQuery = {}): Promise<Page<User>> {
    this.#open();
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const matches = [...this.#users.values()]
      .filter((u) => query.status === undefined || u.status === query.status)
      .filter((u) => query.role === undefined || u.role === query.role)
      .sort((a, b) => comparePairs([a.createdAt, a.id], [b.createdAt, b.id]))
      .filter((u) => !after || comparePairs([u.createdAt, u.id], after) > 0);
    return pageOf(matches, limit, copy, (item) => [item.createdAt, item.id]);
  }

  async countUsers(query: Pick<UserQuery, 'status' | 'role'> = {}): Promise<number> {
    this.#open();
    let count = 0;
    for (const u of this.#users.values()) {
      if ((query.status === undefined || u.status === query.status) && (query.role === undefined || u.role === query.role)) {
        count++;
      }
    }
    return count;
  }

  async createApiKey(key: ApiKey): Promise<ApiKey> {
    this.#open();
    if (this.#apiKeys.has(key.id)) throw new ConflictError(`An API key with id ${key.id} already exists.`);
    for (const existing of this.#apiKeys.values()) {
      if (existing.keyHash === key.keyHash) throw new ConflictError('An API key with this hash already exists.');
    }
    this.#apiKeys.set(key.id, copy(key));
    return copy(key);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    this.#open();
    for (const key of this.#apiKeys.values()) {
      if (key.keyHash === keyHash && key.revokedAt === null) return copy(key);
    }
    return null;
  }

  async listApiKeys(userId: string): Promise<ApiKey[]> {
    this.#open();
    return [...this.#apiKeys.values()]
      .filter((k) => k.userId === userId)
      .sort((a, b) => comparePairs([a.createdAt, a.id], [b.createdAt, b.id]))
      .map(copy);
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    this.#open();
    const key = this.#apiKeys.get(id);
    if (key) key.lastUsedAt = at.toISOString();
  }

  async revokeApiKey(id: string, at: Date): Promise<boolean> {
    this.#open();
    const key = this.#apiKeys.get(id);
    if (!key || key.revokedAt !== null) return false;
    key.revokedAt = at.toISOString();
    return true;
  }
}
