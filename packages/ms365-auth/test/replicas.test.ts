/**
 * Several replicas share one token store. Each case interleaves two refreshers (two replicas)
 * at the exact point that matters by wrapping the second one's store.
 */
import type { TokenEntry, TokenStore } from '@odoo-sync/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type CacheWriteReport, userCacheKey } from '../src/index.js';
import { createHarness, type Harness, HOUR } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

/** A TokenStore that runs `hooks` before the n-th read or write of a user cache (1-based). */
function interleaved(
  base: TokenStore,
  hooks: { beforeGet?: Record<number, () => Promise<void>>; beforePut?: Record<number, () => Promise<void>>; afterList?: () => Promise<void> },
): TokenStore {
  let gets = 0;
  let puts = 0;
  return {
    async getToken(key: string): Promise<TokenEntry | null> {
      if (key.startsWith('ms365:user:')) await hooks.beforeGet?.[++gets]?.();
      return base.getToken(key);
    },
    async putToken(key, value, expectedVersion, at) {
      if (key.startsWith('ms365:user:')) await hooks.beforePut?.[++puts]?.();
      return base.putToken(key, value, expectedVersion, at);
    },
    deleteToken: (key) => base.deleteToken(key),
    async listTokensExpiringBefore(before, limit) {
      const listed = await base.listTokensExpiringBefore(before, limit);
      await hooks.afterList?.();
      return listed;
    },
  };
}

describe('compare-and-set between replicas', () => {
  it('a refresh that loses the race re-reads, merges its new tokens and writes on top (no lost update)', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    const a = h.refresher;
    const writes: CacheWriteReport[] = [];
    const b = h.makeRefresher({ store: interleaved(h.store, { beforePut: { 1: async () => {
            await a.getToken(result.userId);
          }, } }) });
    b.on('cache_write', (r) => writes.push(r));
    await h.advance(2 * HOUR);

    const fromB = await b.getToken(result.userId);
    expect(fromB.fromCache).toBe(false);
    expect(writes.map((w) => w.outcome)).toEqual(['merged']);
    expect((await h.store.getToken(userCacheKey(result.userId)))?.version).toBe(3);
    expect(h.entra.countTokenRequests('refresh_token')).toBe(2);

    // Both replicas now serve from the merged cache, and it still refreshes.
    expect((await a.getToken(result.userId)).fromCache).toBe(true);
    expect((await b.getToken(result.userId)).fromCache).toBe(true);
    await h.advance(2 * HOUR);
    expect((await a.getToken(result.userId)).fromCache).toBe(false);
  });

  it('a sign-out on another replica wins over a refresh in flight: nothing is resurrected', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    const a = h.refresher;
    const writes: CacheWriteReport[] = [];
    const b = h.makeRefresher({ store: interleaved(h.store, { beforePut: { 1: () => a.signOut(result.userId) } }) });
    b.on('cache_write', (r) => writes.push(r));
    await h.advance(2 * HOUR);

    await b.getToken(result.userId);
    expect(writes.map((w) => w.outcome)).toEqual(['dropped']);
    expect(await h.store.getToken(userCacheKey(result.userId))).toBeNull();
    await expect(b.getAccessToken(result.userId)).rejects.toMatchObject({ code: 'reauth_required' });
  });

  it('a dead refresh token does not sign out a session renewed meanwhile on another replica', async () => {
    h = await createHarness();
    const { user, result } = await h.signIn();
    const a = h.refresher;
    const reauths: unknown[] = [];
    // B reads the old cache, its refresh fails (revoked); before B removes the account, the user signs in again on A.
    const b = h.makeRefresher({ store: interleaved(h.store, { beforeGet: { 2: async () => {
            await h.signIn(user, a);
          }, } }) });
    b.on('reauth_required', (e) => reauths.push(e));
    h.entra.revokeRefreshTokens(user.oid);
    await h.advance(2 * HOUR);

    const token = await b.getToken(result.userId);
    expect(token.fromCache).toBe(true); // the new session's token, after one retry on the fresh cache
    expect(reauths).toEqual([]);
    expect((await b.sessionStatus(result.userId)).state).toBe('signed_in');
  });

  it('the pre-refresh job leaves alone a token another replica refreshed after it listed it', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    const a = h.refresher;
    let once = true;
    const b = h.makeRefresher({
      store: interleaved(h.store, {
        afterList: async () => {
          if (!once) return;
          once = false;
          await a.getToken(result.userId, { forceRefresh: true });
        },
      }),
    });
    await h.advance(55 * 60_000);
    expect(await b.refreshExpiring()).toEqual({ refreshed: 0, reauthRequired: 0, failed: 0, skipped: 1, idle: 0, signedOut: 0, sweptLogins: 0 });
    expect(h.entra.countTokenRequests('refresh_token')).toBe(1);
  });
});
