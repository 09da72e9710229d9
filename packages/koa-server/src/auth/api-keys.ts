/**
 * API keys: made at random, shown once, stored as their SHA-256 hash only.
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKey, Clock, User, UserStore } from '@odoo-sync/core';
import type { UserRole } from '@odoo-sync/core/store-kit';
import { ConflictError, InputError, NotFoundError } from '@odoo-sync/core/errors';

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

/**
 * Placeholder e-mail of the user that owns the bootstrap admin key when
 * `ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL` is not set. It is no mailbox: alerts leave it out.
 */
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@odoo-sync.local';

/** Whether `email` is the {@link BOOTSTRAP_ADMIN_EMAIL} placeholder (no mailbox behind it). */
export function isPlaceholderEmail(email: string): boolean {
  return email.trim().toLowerCase() === BOOTSTRAP_ADMIN_EMAIL;
}

/**
 * Makes sure `key` is a valid admin API key: when no unrevoked key has its hash, it is stored for
 * the admin with `email` (default {@link BOOTSTRAP_ADMIN_EMAIL}; created approved when absent).
 * When the key exists and belongs to the placeholder user, that user gets `email`. Safe to call on
 * every start and from several replicas at once. Returns whether it created the key.
 */
export async function ensureBootstrapAdminKey(store: UserStore, key: string, clock: Clock, email: string | null = null): Promise<boolean> {
  const existing = await store.findApiKeyByHash(hashApiKey(key));
  if (existing !== null) {
    if (email !== null) {
      const owner = await store.getUser(existing.userId);
      if (owner !== null && isPlaceholderEmail(owner.email)) await store.updateUser(owner.id, { email }, clock.now());
    }
    return false;
  }
  try {
    await issueApiKey(store, { email: email ?? BOOTSTRAP_ADMIN_EMAIL, role: 'admin', label: 'bootstrap', key, clock });
    return true;
  } catch (err) {
    if (err instanceof ConflictError && (await store.findApiKeyByHash(hashApiKey(key))) !== null) return false;
    throw err;
  }
}

/** An API key as operators see it: who owns it and its dates, never the key or its hash. */
export interface ApiKeyView {
  /** Stable id (what `apikey revoke` and `DELETE /api/admin/api-keys/:id` take). */
  id: string;
  /** Owner's user id. */
  userId: string;
  /** Owner's e-mail. */
  email: string;
  /** Owner's role. */
  role: UserRole;
  /** What it is for (`cli`, `bootstrap`, or the label given at creation). */
  label: string;
  /** ISO-8601 creation time. */
  createdAt: string;
  /** ISO-8601 time of last use, or `null`. */
  lastUsedAt: string | null;
  /** ISO-8601 revocation time, or `null` while valid. */
  revokedAt: string | null;
}

/** The operator's view of a key record (drops the hash). */
export function apiKeyView(key: ApiKey, owner: Pick<User, 'email' | 'role'>): ApiKeyView {
  return {
    id: key.id,
    userId: key.userId,
    email: owner.email,
    role: owner.role,
    label: key.label,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}

/** Every API key of every user (revoked ones included), oldest user first, each user's oldest key first. */
export async function listAllApiKeys(store: UserStore): Promise<ApiKeyView[]> {
  const views: ApiKeyView[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listUsers({ limit: 1000, cursor });
    for (const user of page.items) {
      for (const key of await store.listApiKeys(user.id)) views.push(apiKeyView(key, user));
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return views;
}

/** What {@link revokeApiKeyById} did. */
export interface RevokedApiKey {
  /** The key after revocation. */
  key: ApiKeyView;
  /** Whether this call revoked it (`false`: it was revoked before). */
  revokedNow: boolean;
}

/**
 * Revokes the key with `id`: it stops working at once, on every replica. Revoking a revoked key
 * changes nothing. Throws {@link NotFoundError} for an unknown id.
 */
export async function revokeApiKeyById(store: UserStore, id: string, clock: Clock): Promise<RevokedApiKey> {
  const found = (await listAllApiKeys(store)).find((key) => key.id === id);
  if (!found) {
    throw new NotFoundError(`No API key with id ${id}.`, { hint: 'List the keys with `odoo-sync apikey list` (or GET /api/admin/api-keys).' });
  }
  const revokedNow = await store.revokeApiKey(id, clock.now());
  const after = (await store.listApiKeys(found.userId)).find((key) => key.id === id);
  return { key: after ? { ...found, revokedAt: after.revokedAt } : found, revokedNow };
}

/** What {@link createApiKeyForUser} made. */
export interface CreatedApiKey {
  /** The secret key. Shown once; not stored anywhere. */
  key: string;
  /** The key as operators see it (never the key or its hash). */
  view: ApiKeyView;
}

/**
 * Makes a new API key for the existing user `userId` (an admin's `POST /api/admin/api-keys`):
 * the key acts as that user, with their role and approval. Throws {@link NotFoundError} for an
 * unknown user and {@link ConflictError} for a rejected one (their calls are refused anyway).
 */
export async function createApiKeyForUser(store: UserStore, userId: string, label: string, clock: Clock): Promise<CreatedApiKey> {
  const user = await store.getUser(userId);
  if (user === null) {
    throw new NotFoundError(`No user with id ${userId}.`, { hint: 'List the users with GET /api/admin/users and pass one of their ids.' });
  }
  if (user.status === 'rejected') {
    throw new ConflictError(`${user.email} is rejected; a key of theirs would be refused.`, {
      hint: 'Approve the user first (POST /api/admin/users/:id/approve).',
    });
  }
  const key = generateApiKey();
  const record = await store.createApiKey({
    id: randomUUID(),
    userId: user.id,
    keyHash: hashApiKey(key),
    label,
    createdAt: clock.now().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  });
  return { key, view: apiKeyView(record, user) };
}
