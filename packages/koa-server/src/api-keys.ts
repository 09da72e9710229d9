/**
 * API keys: made at random, shown once, stored as their SHA-256 hash only.
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKey, Clock, User, UserRole, UserStore } from '@odoo-sync/core';
import { ConflictError, InputError } from '@odoo-sync/core/errors';

/** Prefix of the keys this package makes (so a leaked key is recognisable in a scan). */
export const API_KEY_PREFIX = 'osk_';

/** A new random API key: `osk_` + 32 random bytes in base64url. Show it once; store its hash. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a key: SHA-256, hex. Keys are long random strings, so no salt is needed. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What {@link issueApiKey} made. */
export interface IssuedApiKey {
  /** The secret key. Shown once; not stored anywhere. */
  key: string;
  /** The stored record (hash only). */
  record: ApiKey;
  /** Its owner. */
  user: User;
  /** Whether the user was created for it. */
  userCreated: boolean;
}

/** Options of {@link issueApiKey}. */
export interface IssueApiKeyOptions {
  /** Owner's e-mail; the user is created (approved) when absent. */
  email: string;
  /** Role of a created user; an existing user must already have it. */
  role: UserRole;
  /** What the key is for. @default 'cli' */
  label?: string;
  /** The key to store (e.g. the bootstrap key); a random one when absent. */
  key?: string;
  /** Time source. */
  clock: Clock;
}

/**
 * Issues an API key for the user with `email`, creating an approved user with `role` when there
 * is none. Throws {@link InputError} when the user exists with another role (roles are never
 * changed as a side effect) and {@link ConflictError} when the key already exists.
 */
export async function issueApiKey(store: UserStore, options: IssueApiKeyOptions): Promise<IssuedApiKey> {
  const email = options.email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new InputError('The e-mail address is not valid.', [{ path: 'email', message: 'expected an e-mail address' }]);
  }
  const now = options.clock.now();
  let user = await store.getUserByEmail(email);
  let userCreated = false;
  if (user === null) {
    try {
      user = await store.createUser(
        { id: randomUUID(), email, name: email.split('@')[0] ?? email, role: options.role, status: 'approved' },
        now,
      );
      userCreated = true;
    } catch (err) {
      // Another replica created it at the same moment.
      if (!(err instanceof ConflictError)) throw err;
      user = await store.getUserByEmail(email);
      if (user === null) throw err;
    }
  }
  if (user.role !== options.role) {
    throw new InputError(`The user ${email} exists with the role ${user.role}, not ${options.role}.`, [
      { path: 'role', message: `the user's role is ${user.role}` },
    ]);
  }
  const key = options.key ?? generateApiKey();
  const record = await store.createApiKey({
    id: randomUUID(),
    userId: user.id,
    keyHash: hashApiKey(key),
    label: options.label ?? 'cli',
    createdAt: now.toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  });
  return { key, record, user, userCreated };
}

/** E-mail of the user that owns the bootstrap admin key. */
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@odoo-sync.local';

/**
 * Makes sure `key` is a valid admin API key: when no unrevoked key has its hash, it is stored for
 * the admin {@link BOOTSTRAP_ADMIN_EMAIL} (created approved when absent). Safe to call on every
 * start and from several replicas at once. Returns whether it created the key.
 */
export async function ensureBootstrapAdminKey(store: UserStore, key: string, clock: Clock): Promise<boolean> {
  if ((await store.findApiKeyByHash(hashApiKey(key))) !== null) return false;
  try {
    await issueApiKey(store, { email: BOOTSTRAP_ADMIN_EMAIL, role: 'admin', label: 'bootstrap', key, clock });
    return true;
  } catch (err) {
    if (err instanceof ConflictError && (await store.findApiKeyByHash(hashApiKey(key))) !== null) return false;
    throw err;
  }
}
