/**
 * MSAL cache plugins that persist one user's token cache in the encrypted {@link TokenVault}.
 *
 * One MSAL client is built per operation and given a plugin bound to one partition (one
 * user), so MSAL's in-memory cache never mixes users and concurrent operations never share
 * state (the trap of upstream issue #7909).
 * @module
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { Logger } from '@odoo-sync/core';
import { ConflictError, OdooSyncError, summarizeError } from '@odoo-sync/core/errors';
import {
  type CachedAccount,
  type CachePayload,
  EMPTY_MSAL_CACHE,
  mergeMsalCaches,
  migrateMsalCache,
  type ReauthMark,
} from './cache-payload.js';
import type { TokenVault, VaultRead } from './token-vault.js';

/**
 * Thrown by a {@link PartitionCachePlugin} inside an MSAL operation when the stored cache
 * changed under a guarded write (see {@link PartitionCachePlugin.guard}): the decision taken on
 * the old cache must not overwrite the newer one. Code `stale_cache`; retryable — run the
 * operation again on the cache as it is now. `Ms365TokenRefresher` does so itself.
 */
export class StaleCacheError extends OdooSyncError {
  static override readonly code = 'stale_cache' as const;
  /** Creates the error. */
  constructor() {
    super('The stored token cache changed while this operation was running.', {
      retryable: true,
      hint: 'Run the operation again: it will start from the cache as it is now.',
    });
  }
}

/** What a {@link PartitionCachePlugin} reports after each write attempt. */
export interface CacheWriteReport {
  /** Partition key. */
  key: string;
  /** `written`: stored; `merged`: stored after a version conflict and a merge; `dropped`: a newer write won. */
  outcome: 'written' | 'merged' | 'dropped';
  /** The stored version after the write (the winner's on `dropped`). */
  version: number | null;
}

/** Options of {@link PartitionCachePlugin}. */
export interface PartitionCachePluginOptions {
  /** The entry already read at the start of the operation, reused for read-only cache access. */
  primed?: VaultRead;
  /** Told about every write. */
  onWrite?: (report: CacheWriteReport) => void;
  /** Logger. */
  logger: Logger;
}

/**
 * Persists one partition's MSAL cache.
 *
 * - Before MSAL *reads* the cache, the entry read at the start of the operation is used (one
 *   store read per operation); before MSAL *writes* it, the entry is read again, so the write
 *   starts from the newest stored cache. Caches written by msal-node 3 are re-filed under
 *   msal-node 7's keys as they are loaded.
 * - After access, it writes only when `cacheHasChanged`, with compare-and-set on the version it
 *   read. On a conflict (another replica wrote in between) it re-reads, merges its new tokens
 *   over the stored cache and tries once more; if that conflicts too, the other write stands.
 *   A removal (sign-out elsewhere) always wins: nothing is resurrected.
 */
export class PartitionCachePlugin implements ICachePlugin {
  readonly #vault: TokenVault;
  readonly #key: string;
  readonly #options: PartitionCachePluginOptions;
  #snapshot: VaultRead | undefined;
  #guardVersion: number | null | undefined;
  #reauth: ReauthMark | null = null;
  #account: CachedAccount | null | undefined;
  #loaded = false;

  /** Persists the cache of partition `key` (e.g. `ms365:user:<id>`) in `vault`. */
  constructor(vault: TokenVault, key: string, options: PartitionCachePluginOptions) {
    this.#vault = vault;
    this.#key = key;
    this.#options = options;
    this.#snapshot = options.primed;
  }

  /** Version of the entry the cache was last loaded from (`null`: absent). */
  get version(): number | null {
    const snapshot = this.#snapshot;
    return snapshot && snapshot.kind !== 'absent' ? snapshot.entry.version : null;
  }

  /** The payload the cache was last loaded from, when readable. */
  get payload(): CachePayload | null {
    return this.#snapshot?.kind === 'ok' ? this.#snapshot.payload : null;
  }

  /**
   * Makes the next write fail (with a {@link StaleCacheError}) unless the stored
   * version is still `version`: a removal decided on an old cache must not remove a newer one.
   */
  guard(version: number | null): void {
    this.#guardVersion = version;
  }

  /** Marks the next write as "re-auth required" with this reason. */
  markReauth(mark: ReauthMark): void {
    this.#reauth = mark;
  }

  /** Loads the partition's cache into MSAL (fresh from the store before a write). */
  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    this.#loaded = false;
    if (context.cacheHasChanged || this.#snapshot === undefined) {
      this.#snapshot = await this.#vault.read(this.#key);
      if (this.#guardVersion !== undefined && this.version !== this.#guardVersion) throw new StaleCacheError();
    }
    // An unreadable or absent entry loads as an empty cache: the user counts as signed out.
    // A cache written by msal-node 3 is re-filed under msal-node 7's keys first, or MSAL
    // would keep refreshing with the old refresh token (see migrateMsalCache).
    context.tokenCache.deserialize(migrateMsalCache(this.payload?.msal ?? EMPTY_MSAL_CACHE));
    this.#loaded = true;
  }

  /** Stores the cache when MSAL changed it (compare-and-set, merge once on conflict). */
  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    // MSAL calls this in a `finally` even when beforeCacheAccess threw: never write a cache
    // that was not loaded from the store.
    if (!this.#loaded) return;
    this.#loaded = false;
    if (!context.cacheHasChanged) return;
    const msal = context.tokenCache.serialize();
    const payload = this.#nextPayload(msal, this.payload);
    try {
      const entry = await this.#vault.write(this.#key, payload, this.version);
      this.#snapshot = { kind: 'ok', entry, payload, stale: false };
      this.#options.onWrite?.({ key: this.#key, outcome: 'written', version: entry.version });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (this.#guardVersion !== undefined) throw new StaleCacheError();
      await this.#mergeAfterConflict(msal);
    }
  }

  async #mergeAfterConflict(ours: string): Promise<void> {
    const latest = await this.#vault.read(this.#key);
    this.#snapshot = latest;
    if (latest.kind !== 'ok' || latest.payload.status !== 'active') {
      // Signed out, marked re-auth-required or unreadable elsewhere: that decision stands.
      this.#options.logger.info({ key: this.#key, latest: latest.kind }, 'token cache write dropped: the entry was removed or closed meanwhile');
      this.#options.onWrite?.({ key: this.#key, outcome: 'dropped', version: this.version });
      return;
    }
    const merged = this.#nextPayload(mergeMsalCaches(latest.payload.msal, ours), latest.payload);
    try {
      const entry = await this.#vault.write(this.#key, merged, latest.entry.version);
      this.#snapshot = { kind: 'ok', entry, payload: merged, stale: false };
      this.#options.onWrite?.({ key: this.#key, outcome: 'merged', version: entry.version });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      this.#options.logger.info(
        { key: this.#key, err: summarizeError(error) },
        'token cache write dropped after a second conflict: a newer cache is stored',
      );
      this.#options.onWrite?.({ key: this.#key, outcome: 'dropped', version: null });
    }
  }

  /** Remembers the account to record in the payload (set on sign-in). */
  setAccount(account: CachedAccount | null): void {
    this.#account = account;
  }

  #nextPayload(msal: string, previous: CachePayload | null): CachePayload {
    return {
      v: 1,
      status: this.#reauth ? 'reauth_required' : 'active',
      msal,
      account: this.#account !== undefined ? this.#account : (previous?.account ?? null),
      reauth: this.#reauth,
    };
  }
}

/**
 * A plugin for the code exchange: starts from an empty cache and captures what MSAL writes,
 * without storing it, so the caller decides under which user the new cache is stored.
 */
export class CapturePlugin implements ICachePlugin {
  /** The serialized cache after MSAL's last write, or `null` when it wrote nothing. */
  captured: string | null = null;

  /** Loads what was captured so far (nothing at first). */
  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    context.tokenCache.deserialize(this.captured ?? EMPTY_MSAL_CACHE);
  }

  /** Captures the serialized cache when MSAL changed it. */
  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (context.cacheHasChanged) this.captured = context.tokenCache.serialize();
  }
}
