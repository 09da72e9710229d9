/**
 * Who may log in to the simulator: passwords and API keys of res.users rows.
 * @module
 */
import { accessDenied } from './exceptions.js';
import type { StoredRow } from './schema.js';

/** A user that can log in, with what it may do. */
export interface SimUser {
  /** res.users id. */
  readonly uid: number;
  /** Password (never readable through the API). */
  password: string | undefined;
  /** API keys (usable as password on XML-RPC, as bearer token on JSON-2). */
  apiKeys: string[];
  /** Models this user may not access (AccessError). */
  deniedModels: ReadonlySet<string>;
  /** Whether the user may read HR-private employee fields. */
  hrOfficer: boolean;
}

/** The registered credentials, by user id. */
export class SimCredentials {
  readonly #users = new Map<number, SimUser>();

  /** Registers (or replaces) a user's credentials. */
  set(user: SimUser): void {
    this.#users.set(user.uid, user);
  }

  /** A user's credentials, if any were registered. */
  get(uid: number): SimUser | undefined {
    return this.#users.get(uid);
  }

  /** The user when `secret` is its password or one of its API keys and `row` (its res.users row) is active. */
  check(row: StoredRow | undefined, secret: unknown): SimUser {
    const user = row ? this.#users.get(row.id) : undefined;
    if (!row || row['active'] === false || !user || typeof secret !== 'string' || secret === '') throw accessDenied();
    if (secret !== user.password && !user.apiKeys.includes(secret)) throw accessDenied();
    return user;
  }

  /** The active user owning an API key, if any (`row` finds its res.users row). */
  byApiKey(key: string, row: (uid: number) => StoredRow | undefined): SimUser | undefined {
    if (!key) return undefined;
    for (const user of this.#users.values()) {
      if (!user.apiKeys.includes(key)) continue;
      const found = row(user.uid);
      return found && found['active'] !== false ? user : undefined;
    }
    return undefined;
  }
}
