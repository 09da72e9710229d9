/**
 * Identity ports: the people who sign in, their API keys and their encrypted token caches.
 * @module
 */
import type { Page } from '../model.js';

// ---------------------------------------------------------------------------------------------
// Users and API keys
// ---------------------------------------------------------------------------------------------

/** A user's role. */
export type UserRole = 'admin' | 'user';

/** Whether an admin let the user in. Only `approved` users pass authentication. */
export type UserStatus = 'pending' | 'approved' | 'rejected';

/** How a user was linked to Odoo (`employee_number`: the HR employee number both sides hold). */
export type LinkStrategy = 'email' | 'employee_number' | 'name' | 'salesperson' | 'manual';

/** The link between a signed-in person and their Odoo identity. */
export interface OdooLink {
  /** `res.users` id, when known. */
  odooUserId: number | null;
  /** `hr.employee` id, when known. */
  employeeId: number | null;
  /** How the link was made. */
  strategy: LinkStrategy;
  /** ISO-8601 time of linking. */
  linkedAt: string;
  /** Id of the user who made the link (the user themself for self-service). */
  linkedBy: string;
}

/**
 * Who a person is at their sign-in provider: for Microsoft 365 (Entra ID), the directory
 * (tenant) id and the object id (`tid` + `oid` of the id token). Unlike an e-mail address it
 * never changes and cannot be claimed by another account. Stores compare both parts
 * case-insensitively.
 */
export interface UserIdentity {
  /** Directory (tenant) id, e.g. Entra's `tid`. */
  tenantId: string;
  /** The person's object id in that directory, e.g. Entra's `oid`. */
  objectId: string;
}

/** A person who signs in. */
export interface User {
  /** Stable id. */
  id: string;
  /** E-mail address; unique, compared case-insensitively. */
  email: string;
  /** Display name. */
  name: string;
  /** Role. */
  role: UserRole;
  /** Approval status. */
  status: UserStatus;
  /** Link to Odoo, or `null`. */
  odooLink: OdooLink | null;
  /**
   * Other addresses of theirs that the sign-in provider vouches for (Microsoft 365's sign-in
   * name when it is not their e-mail); used to link them to Odoo. `[]` when none.
   */
  otherEmails: string[];
  /** True when their Microsoft 365 session can no longer be refreshed silently. */
  reauthRequired: boolean;
  /**
   * The sign-in identity that is this person, or `null` for a user who never signed in with
   * one (API-key users, users created before identities were recorded). Unique.
   */
  identity: UserIdentity | null;
  /** ISO-8601 creation time. */
  createdAt: string;
  /** ISO-8601 last update time. */
  updatedAt: string;
}

/** Fields given when creating a user. */
export interface NewUser {
  /** Stable id chosen by the caller. */
  id: string;
  /** E-mail address. */
  email: string;
  /** Display name. */
  name: string;
  /** Role. */
  role: UserRole;
  /** Approval status. */
  status: UserStatus;
  /** See {@link User.otherEmails}. @default [] */
  otherEmails?: string[];
  /** See {@link User.identity}. @default null */
  identity?: UserIdentity | null;
}

/** Fields that can change on a user. */
export type UserPatch = Partial<Pick<User, 'email' | 'name' | 'role' | 'status' | 'odooLink' | 'otherEmails' | 'reauthRequired' | 'identity'>>;

/** A query of users, ordered by `createdAt` then `id`. */
export interface UserQuery {
  /** Only this status. */
  status?: UserStatus;
  /** Only this role. */
  role?: UserRole;
  /**
   * Page size, 1–1000.
   * @default 50
   */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

/** An API key record. The key itself is never stored: only its hash. */
export interface ApiKey {
  /** Stable id (safe to show). */
  id: string;
  /** Owner. */
  userId: string;
  /** Hash of the secret key (e.g. SHA-256 hex). */
  keyHash: string;
  /** What it is for. */
  label: string;
  /** ISO-8601 creation time. */
  createdAt: string;
  /** ISO-8601 time of last use, or `null`. */
  lastUsedAt: string | null;
  /** ISO-8601 revocation time, or `null` while valid. */
  revokedAt: string | null;
}

/** Holds users and their API keys. */
export interface UserStore {
  /**
   * Creates a user. Throws {@link @odoo-sync/core/errors!ConflictError | ConflictError} when the id,
   * the e-mail (case-insensitive) or the identity (case-insensitive) exists, and writes nothing.
   */
  createUser(user: NewUser, at: Date): Promise<User>;
  /** The user, or `null`. */
  getUser(id: string): Promise<User | null>;
  /** The user with this e-mail (case-insensitive, surrounding spaces ignored), or `null`. */
  getUserByEmail(email: string): Promise<User | null>;
  /**
   * The user with this identity (tenant id and object id, each compared case-insensitively),
   * or `null`. Never matches a user without an identity.
   */
  getUserByIdentity(identity: UserIdentity): Promise<User | null>;
  /**
   * Applies `patch`, sets `updatedAt = at`. Throws
   * {@link @odoo-sync/core/errors!NotFoundError | NotFoundError};
   * {@link @odoo-sync/core/errors!ConflictError | ConflictError} on an e-mail or identity another
   * user has (nothing is written then).
   */
  updateUser(id: string, patch: UserPatch, at: Date): Promise<User>;
  /** A page of users. */
  listUsers(query?: UserQuery): Promise<Page<User>>;
  /** How many users match. */
  countUsers(query?: Pick<UserQuery, 'status' | 'role'>): Promise<number>;
  /**
   * Stores an API key record. Throws {@link @odoo-sync/core/errors!ConflictError | ConflictError} on a
   * duplicate id or hash.
   */
  createApiKey(key: ApiKey): Promise<ApiKey>;
  /** The unrevoked key with this hash, or `null`. */
  findApiKeyByHash(keyHash: string): Promise<ApiKey | null>;
  /** Every key of a user (revoked included), oldest first. */
  listApiKeys(userId: string): Promise<ApiKey[]>;
  /** Sets `lastUsedAt = at`. Unknown ids are ignored. */
  touchApiKey(id: string, at: Date): Promise<void>;
  /** Sets `revokedAt = at` once; returns whether it was valid before. */
  revokeApiKey(id: string, at: Date): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/** An opaque (encrypted) token blob with a version for compare-and-set. */
export interface TokenEntry {
  /** Partition key (e.g. the user's id). */
  key: string;
  /** The encrypted blob, opaque to the store. */
  blob: string;
  /** Increases by one on every write; starts at 1. */
  version: number;
  /** ISO-8601 expiry of the access token inside, when known (for the pre-refresh job). */
  expiresAt: string | null;
  /** ISO-8601 time of the last write. */
  updatedAt: string;
}

/** Holds encrypted token caches per partition, with compare-and-set writes. */
export interface TokenStore {
  /** The entry, or `null`. */
  getToken(key: string): Promise<TokenEntry | null>;
  /**
   * Writes the blob when the stored version equals `expectedVersion` (`null`: only when absent),
   * and returns the new entry (version + 1). Otherwise throws
   * {@link @odoo-sync/core/errors!ConflictError | ConflictError} and writes nothing.
   */
  putToken(
    key: string,
    value: { blob: string; expiresAt: string | null },
    expectedVersion: number | null,
    at: Date,
  ): Promise<TokenEntry>;
  /** Deletes the entry; returns whether it existed. */
  deleteToken(key: string): Promise<boolean>;
  /** Entries whose `expiresAt` is before `before`, soonest first, at most `limit`. */
  listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]>;
}

// ---------------------------------------------------------------------------------------------
// Microsoft 365 tokens
// ---------------------------------------------------------------------------------------------

/**
 * Gives app code a fresh access token for a signed-in user, refreshing silently.
 * Implemented by `Ms365TokenRefresher` in `@odoo-sync/ms365-auth`.
 *
 * Rules: a transient failure (network) never signs anyone out; when silent refresh is
 * impossible the user is marked `reauthRequired` and
 * {@link @odoo-sync/core/errors!ReauthRequiredError | ReauthRequiredError} is thrown with the
 * login URL.
 */
export interface TokenRefresher {
  /** A valid access token for `userId` (refreshed silently when close to expiry). */
  getAccessToken(userId: string, scopes?: readonly string[]): Promise<string>;
  /** Refreshes every token that expires within `withinMs`; resolves with counts. */
  refreshExpiring(withinMs: number): Promise<{ refreshed: number; reauthRequired: number; failed: number }>;
  /** Forgets the user's tokens. */
  signOut(userId: string): Promise<void>;
}

/**
 * The identity ports: users and their API keys, and the encrypted token caches that keep
 * their Microsoft 365 sign-in alive. What the server's sign-in, API keys and user routes need;
 * checked by `runIdentityContract` in `@odoo-sync/core/testing`.
 */
export type IdentityPorts = UserStore & TokenStore;
