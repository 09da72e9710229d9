/**
 * Where a user's token cache lives in the shared {@link @odoo-sync/core!TokenStore | TokenStore}.
 * @module
 */

/**
 * Key prefix of users' token caches in the {@link @odoo-sync/core!TokenStore | TokenStore}:
 * `ms365:user:<userId>`.
 */
export const USER_CACHE_PREFIX = 'ms365:user:';

/** The store key of a user's token cache. */
export function userCacheKey(userId: string): string {
  return USER_CACHE_PREFIX + userId;
}
