/**
 * Microsoft 365 sign-in that stays signed in: MSAL auth-code flow with PKCE, a per-user
 * encrypted token cache with compare-and-set, silent and background refresh.
 *
 * @module @odoo-sync/ms365-auth
 * @document ../README.md
 */
export { type Keyring, parseKeyring, keyringOf, generateTokenKey } from './keyring.js';
export { type Envelope, type Opened, ENVELOPE_VERSION, sealBlob, openBlob } from './envelope.js';
export {
  type CachePayload,
  type CachedAccount,
  type ReauthMark,
  type StoredSessionState,
  parsePayload,
  accessTokenExpiry,
  mergeMsalCaches,
  migrateMsalCache,
  EMPTY_MSAL_CACHE,
} from './cache-payload.js';
export { type VaultRead, TokenVault } from './token-vault.js';
export {
  type PendingLogin,
  type PendingLoginStore,
  TokenStorePendingLogins,
  PENDING_LOGIN_PREFIX,
  pendingLoginKey,
} from './pending-logins.js';
export { type CacheWriteReport, type PartitionCachePluginOptions, PartitionCachePlugin } from './cache-plugin.js';
export { type MsalFailureKind, type MsalErrorDetails, classifyMsalError, msalErrorDetails, isClientConfigurationFailure } from './msal-errors.js';
export { type Ms365TokenRefresherOptions, type ClientCertificate, type ReauthRequiredEvent, type RefreshVerdict } from './options.js';
export { CONSUMER_TENANT_ID, isTenantGuid } from './tenants.js';
export { Ms365TokenRefresher } from './refresher.js';
export { USER_CACHE_PREFIX, userCacheKey } from './user-cache.js';
export { type LoginUrlOptions, type LoginUrl, type CallbackParams, type SignInResult, type HandleCallbackOptions } from './sign-in.js';
export { type Ms365Identity, type IdTokenClaimsSubset } from './identity.js';
export { type GetTokenOptions, type AccessTokenResult } from './token-acquisition.js';
export { type Ms365SessionStatus } from './sessions.js';
export { type RefreshExpiringResult, type PreRefreshHandle, type PreRefreshOptions } from './pre-refresh.js';
export { type Ms365Events } from './events.js';
