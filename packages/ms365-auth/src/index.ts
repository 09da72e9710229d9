/**
 * Microsoft 365 sign-in that stays signed in: MSAL auth-code flow with PKCE, a per-user
 * encrypted token cache with compare-and-set, silent and background refresh.
 *
 * Every name is listed here on purpose (a test snapshots them): growing this surface is a
 * decision. `@odoo-sync/ms365-auth/config` checks configuration without loading MSAL;
 * `@odoo-sync/ms365-auth/testing` is a fake Entra ID for your tests.
 *
 * @module @odoo-sync/ms365-auth
 * @document ../README.md
 */

// The service: sign-in, tokens, background refresh, sign-out.
export { Ms365TokenRefresher } from './refresher.js';
export type { ClientCertificate, Ms365TokenRefresherOptions, ReauthRequiredEvent, RefreshVerdict } from './options.js';
export type { Ms365Events } from './events.js';
export type { CallbackParams, HandleCallbackOptions, LoginUrl, LoginUrlOptions, SignInResult } from './sign-in.js';
export type { IdTokenClaimsSubset, Ms365Identity } from './identity.js';
export type { AccessTokenResult, GetTokenOptions } from './token-acquisition.js';
export type { Ms365SessionStatus } from './sessions.js';
export type { PreRefreshHandle, PreRefreshOptions, RefreshExpiringResult } from './pre-refresh.js';
export type { PendingLogin, PendingLoginStore } from './pending-logins.js';

// The Microsoft Graph profile read at sign-in: evidence for linking people.
export { vouchedAddresses, type GraphProfileFailure, type Ms365Profile } from './graph-profile.js';

// Configuration: the token encryption keys and the tenants.
export { generateTokenKey, keyringOf, parseKeyring, type Keyring } from './keyring.js';
export { CONSUMER_TENANT_ID, isTenantGuid } from './tenants.js';

// The encrypted token cache, for your own MSAL client: one partition per user.
export { userCacheKey } from './user-cache.js';
export { TokenVault, type VaultRead } from './token-vault.js';
export type { CachedAccount, CachePayload, ReauthMark, StoredSessionState } from './cache-payload.js';
export { PartitionCachePlugin, StaleCacheError, type CacheWriteReport, type PartitionCachePluginOptions } from './cache-plugin.js';
