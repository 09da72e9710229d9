import { TokenCacheContext, type ISerializableTokenCache } from '@azure/msal-node';
import { ManualClock, MemoryStore, silentLogger } from '@odoo-sync/core';
import { isOdooSyncError } from '@odoo-sync/core/errors';
import { describe, expect, it } from 'vitest';
import { type CachePayload, generateTokenKey, parseKeyring, PartitionCachePlugin, StaleCacheError, TokenVault, userCacheKey } from '../src/index.js';

/** An MSAL token cache that holds its serialized form, as MSAL's own does. */
class TextCache implements ISerializableTokenCache {
  text = '{}';
  deserialize(cache: string): void {
    this.text = cache;
  }
  serialize(): string {
    return this.text;
  }
}

const payload = (msal: string): CachePayload => ({ v: 1, status: 'active', msal, account: null, reauth: null });

describe('PartitionCachePlugin', () => {
  it('throws a StaleCacheError (code stale_cache, retryable) when the stored cache changed under a guarded write', async () => {
    const clock = new ManualClock(new Date('2026-03-01T00:00:00.000Z'));
    const vault = new TokenVault(new MemoryStore(), parseKeyring(`k1:${generateTokenKey()}`), clock);
    const key = userCacheKey('ana');
    const first = await vault.write(key, payload('{}'), null);
    const plugin = new PartitionCachePlugin(vault, key, { logger: silentLogger });
    plugin.guard(first.version);
    // Another replica writes meanwhile: the decision taken on the first version is stale.
    await vault.write(key, payload('{"Account":{}}'), first.version);

    const error: unknown = await plugin.beforeCacheAccess(new TokenCacheContext(new TextCache(), true)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleCacheError);
    expect(isOdooSyncError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'StaleCacheError', code: 'stale_cache', retryable: true });
    expect(StaleCacheError.code).toBe('stale_cache');
  });
});
