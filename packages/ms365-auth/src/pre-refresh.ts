/**
 * The background pre-refresh: refreshes tokens before they expire so refresh tokens keep
 * sliding, asking the refresh policy first (idle users are parked, users no longer allowed are
 * signed out), and the loop that runs it on the injected clock, one replica at a time.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Clock, TokenEntry } from '@odoo-sync/core';
import { isOdooSyncError, ReauthRequiredError, summarizeError } from '@odoo-sync/core/errors';
import type { Ms365Context } from './context.js';
import { PENDING_LOGIN_PREFIX } from './pending-logins.js';
import type { TokenAcquisition } from './token-acquisition.js';
import { storeCall } from './token-vault.js';
import { USER_CACHE_PREFIX, userCacheKey } from './user-cache.js';

/** What {@link Ms365TokenRefresher.refreshExpiring} returns. */
export interface RefreshExpiringResult {
  /** Users whose tokens were refreshed. */
  refreshed: number;
  /** Users whose session could not be refreshed and must sign in again (unreadable caches included). */
  reauthRequired: number;
  /** Users whose refresh failed for now (network, outage); retried on the next pass. */
  failed: number;
  /** Users listed whose token another replica had refreshed meanwhile (left alone). */
  skipped: number;
  /** Users the `refreshPolicy` said to leave alone (`skip`): not refreshed, off the list until written again. */
  idle: number;
  /** Users the `refreshPolicy` said may no longer use their session (`sign_out`): their cache was deleted. */
  signedOut: number;
  /** Expired pending logins removed. */
  sweptLogins: number;
}

/** Handle of a running pre-refresh loop. */
export interface PreRefreshHandle {
  /** Stops the loop and waits for a pass in progress. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link Ms365TokenRefresher.startPreRefresh}. */
export interface PreRefreshOptions {
  /**
   * Time between passes, in milliseconds.
   * @default 300000 (5 minutes)
   */
  intervalMs?: number;
  /**
   * Refresh tokens that expire within this window, in milliseconds.
   * @default 600000 (10 minutes)
   */
  withinMs?: number;
}

/** What a pass signs users out with (the public façade, so a pass does what a caller's `signOut` does). */
export interface SignsOut {
  /** Forgets the user's session. */
  signOut(userId: string): Promise<void>;
}

const PAGE = 100;
const LEASE = 'ms365:pre-refresh';

/** Pre-refresh passes and their loop. */
export class PreRefresh {
  readonly #ctx: Ms365Context;
  readonly #tokens: TokenAcquisition;
  readonly #sessions: SignsOut;

  constructor(ctx: Ms365Context, tokens: TokenAcquisition, sessions: SignsOut) {
    this.#ctx = ctx;
    this.#tokens = tokens;
    this.#sessions = sessions;
  }

  /** See {@link Ms365TokenRefresher.refreshExpiring}. */
  async refreshExpiring(withinMs = 600_000): Promise<RefreshExpiringResult> {
    const { options, clock, logger } = this.#ctx;
    const result: RefreshExpiringResult = { refreshed: 0, reauthRequired: 0, failed: 0, skipped: 0, idle: 0, signedOut: 0, sweptLogins: 0 };
    const now = clock.now();
    const before = new Date(now.getTime() + withinMs);
    const seen = new Set<string>();
    for (;;) {
      const limit = seen.size + PAGE;
      const entries = await storeCall(() => options.store.listTokensExpiringBefore(before, limit));
      const fresh = entries.filter((e) => !seen.has(e.key));
      for (const entry of fresh) seen.add(entry.key);
      const users: string[] = [];
      const listed = new Map<string, TokenEntry>();
      for (const entry of fresh) {
        if (entry.key.startsWith(USER_CACHE_PREFIX)) {
          users.push(entry.key.slice(USER_CACHE_PREFIX.length));
          listed.set(entry.key, entry);
        }
        else if (entry.key.startsWith(PENDING_LOGIN_PREFIX) && entry.expiresAt !== null && Date.parse(entry.expiresAt) <= now.getTime()) {
          if (await storeCall(() => options.store.deleteToken(entry.key))) result.sweptLogins++;
        }
      }
      await pool(users, options.refreshConcurrency ?? 4, async (userId) => {
        try {
          const verdict = options.refreshPolicy ? await options.refreshPolicy(userId) : 'refresh';
          if (verdict === 'sign_out') {
            logger.info({ userId }, 'Microsoft 365 session no longer allowed (refresh policy); removing it');
            await this.#sessions.signOut(userId);
            result.signedOut++;
            return;
          }
          if (verdict === 'skip') {
            await this.#park(listed.get(userCacheKey(userId)));
            result.idle++;
            return;
          }
          const token = await this.#tokens.refreshBefore(userId, before.getTime());
          if (token.fromCache) result.skipped++;
          else result.refreshed++;
        } catch (error) {
          if (error instanceof ReauthRequiredError) result.reauthRequired++;
          else {
            result.failed++;
            logger.warn({ userId, err: summarizeError(error) }, 'pre-refresh failed; retried on the next pass');
          }
        }
      });
      if (fresh.length === 0 || entries.length < limit) break;
    }
    logger.info({ ...result, withinMs }, 'Microsoft 365 pre-refresh pass done');
    return result;
  }

  /**
   * Takes a cache off the pre-refresh list (no expiry) without changing its content; a cache
   * written meanwhile (a sign-in, a refresh) is left as it is.
   */
  async #park(entry: TokenEntry | undefined): Promise<void> {
    if (entry === undefined || entry.expiresAt === null) return;
    try {
      await this.#ctx.options.store.putToken(entry.key, { blob: entry.blob, expiresAt: null }, entry.version, this.#ctx.clock.now());
    } catch (error) {
      if (!(isOdooSyncError(error) && error.code === 'conflict')) throw error;
    }
  }

  /** See {@link Ms365TokenRefresher.startPreRefresh}. */
  start(options: PreRefreshOptions = {}): PreRefreshHandle {
    const { clock, logger } = this.#ctx;
    const intervalMs = options.intervalMs ?? 300_000;
    const withinMs = options.withinMs ?? 600_000;
    if (!(intervalMs > 0) || !(withinMs > 0)) throw new TypeError('intervalMs and withinMs must be positive.');
    const owner = randomBytes(12).toString('hex');
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const pass = async () => {
      const locks = this.#ctx.options.locks;
      if (locks) {
        const lease = await locks.acquireLease(LEASE, owner, Math.max(intervalMs, 60_000), clock.now());
        if (!lease) return;
      }
      await this.refreshExpiring(withinMs);
    };
    const schedule = () => {
      if (stopped) return;
      timer = clock.setTimeout(() => {
        running = pass()
          .catch((error: unknown) => logger.error({ err: summarizeError(error) }, 'pre-refresh pass failed'))
          .finally(schedule);
      }, intervalMs);
    };
    schedule();
    return {
      stop: async () => {
        stopped = true;
        if (timer !== undefined) clock.clearTimeout(timer);
        await running;
        await this.#ctx.options.locks?.releaseLease(LEASE, owner).catch(() => false);
      },
    };
  }
}

/** Runs `task` over `items`, at most `concurrency` at a time. */
async function pool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(workers);
}
