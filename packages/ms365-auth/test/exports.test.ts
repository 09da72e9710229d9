import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNames } from '../../../scripts/export-names.js';

const src = (file: string): string => resolve(import.meta.dirname, '../src', file);

// Growing a public surface is a decision: these snapshots change with it, in review.
describe('public surface of @odoo-sync/ms365-auth', () => {
  it('names every export explicitly', async () => {
    const names = exportNames(src('index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "CONSUMER_TENANT_ID",
        "generateTokenKey",
        "isTenantGuid",
        "keyringOf",
        "Ms365TokenRefresher",
        "parseKeyring",
        "PartitionCachePlugin",
        "StaleCacheError",
        "TokenVault",
        "userCacheKey",
        "vouchedAddresses",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "AccessTokenResult",
        "CachedAccount",
        "CachePayload",
        "CacheWriteReport",
        "CallbackParams",
        "ClientCertificate",
        "GetTokenOptions",
        "GraphProfileFailure",
        "HandleCallbackOptions",
        "IdTokenClaimsSubset",
        "Keyring",
        "LoginUrl",
        "LoginUrlOptions",
        "Ms365Events",
        "Ms365Identity",
        "Ms365Profile",
        "Ms365SessionStatus",
        "Ms365TokenRefresherOptions",
        "PartitionCachePluginOptions",
        "PendingLogin",
        "PendingLoginStore",
        "PreRefreshHandle",
        "PreRefreshOptions",
        "ReauthMark",
        "ReauthRequiredEvent",
        "RefreshExpiringResult",
        "RefreshVerdict",
        "SignInResult",
        "StoredSessionState",
        "VaultRead",
      ]
    `);
  });

  it('@odoo-sync/ms365-auth/config: configuration checks without MSAL', async () => {
    const names = exportNames(src('config.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/config.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "CONSUMER_TENANT_ID",
        "generateTokenKey",
        "isTenantGuid",
        "keyringOf",
        "parseKeyring",
        "vouchedAddresses",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "Keyring",
        "Ms365Profile",
      ]
    `);
  });

  it('@odoo-sync/ms365-auth/testing: the fake Entra ID', async () => {
    const names = exportNames(src('testing/index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/testing/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "FakeEntraId",
        "FakeGraph",
        "LoopbackNetworkClient",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "FakeAuthorizeResult",
        "FakeEntraIdOptions",
        "FakeEntraUser",
        "FakeFailure",
        "FakeGraphFailure",
        "FakeGraphProfile",
        "FakeGraphRequest",
        "FakeGraphUser",
        "FakeTokenRequest",
        "IssuedAccessToken",
        "LoopbackNetworkClientOptions",
        "LoopbackRequest",
      ]
    `);
  });
});
