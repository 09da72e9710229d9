import { describe, expect, it } from 'vitest';
import { accessTokenExpiry, EMPTY_MSAL_CACHE, hasAccount, mergeMsalCaches, migrateMsalCache } from './cache-payload.js';

const at = (home: string, target: string, expiresOn: number, secret = 'at') => ({
  home_account_id: home,
  environment: 'login.microsoftonline.com',
  credential_type: 'AccessToken',
  client_id: 'c',
  secret,
  realm: 't',
  target,
  cached_at: '0',
  expires_on: String(expiresOn),
});

function cache(parts: Partial<Record<'Account' | 'AccessToken' | 'RefreshToken', Record<string, unknown>>>): string {
  return JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {}, ...parts });
}

describe('accessTokenExpiry', () => {
  it('is the latest access token expiry, or null without one', () => {
    const text = cache({ AccessToken: { a: at('h', 'user.read', 1_800_000_000), b: at('h', 'mail.read', 1_800_003_600) } });
    expect(accessTokenExpiry(text)).toBe(new Date(1_800_003_600_000).toISOString());
    expect(accessTokenExpiry(EMPTY_MSAL_CACHE)).toBeNull();
    expect(accessTokenExpiry('')).toBeNull();
  });
});

describe('mergeMsalCaches', () => {
  it('lays our entries over theirs and drops their access tokens our new ones replace', () => {
    const theirs = cache({
      Account: { acc: { home_account_id: 'h' } },
      AccessToken: { old: at('h', 'User.Read openid', 1, 'theirs-at'), other: at('h', 'Calendars.Read', 5, 'cal') },
      RefreshToken: { rt: { secret: 'their-rt' } },
    });
    const ours = cache({
      Account: { acc: { home_account_id: 'h' } },
      AccessToken: { fresh: at('h', 'user.read profile', 9, 'our-at') },
      RefreshToken: { rt: { secret: 'our-rt' } },
    });
    const merged = JSON.parse(mergeMsalCaches(theirs, ours)) as Record<string, Record<string, { secret?: string }>>;
    expect(Object.keys(merged['AccessToken'] ?? {}).sort()).toEqual(['fresh', 'other']);
    expect(merged['RefreshToken']?.['rt']?.secret).toBe('our-rt');
    expect(hasAccount(JSON.stringify(merged))).toBe(true);
  });
});

describe('migrateMsalCache', () => {
  const rt = (secret: string, extra: Record<string, string> = {}) => ({
    home_account_id: 'oid.tid',
    environment: 'login.microsoftonline.com',
    credential_type: 'RefreshToken',
    client_id: 'Client',
    secret,
    ...extra,
  });
  // msal-node 3 keys (one more empty segment, the requested-claims hash) and msal-node 7 keys.
  const legacyRtKey = 'oid.tid-login.microsoftonline.com-refreshtoken-client----';
  const currentRtKey = 'oid.tid-login.microsoftonline.com-refreshtoken-client---';

  it('re-files msal-node 3 keys; a current entry wins over an old one re-filed onto it', () => {
    const legacyAt = { ...at('oid.tid', 'User.Read openid', 9), client_id: 'Client', token_type: 'Bearer' };
    const migrated = JSON.parse(
      migrateMsalCache(
        cache({
          AccessToken: { 'oid.tid-login.microsoftonline.com-accesstoken-client-t-user.read openid--': legacyAt },
          RefreshToken: { [legacyRtKey]: rt('old'), [currentRtKey]: rt('new') },
        }),
      ),
    ) as Record<string, Record<string, { secret: string }>>;
    expect(Object.keys(migrated['AccessToken'] ?? {})).toEqual(['oid.tid-login.microsoftonline.com-accesstoken-client-t-user.read openid-']);
    expect(migrated['RefreshToken']).toEqual({ [currentRtKey]: rt('new') });
    expect(JSON.parse(migrateMsalCache(cache({ RefreshToken: { [legacyRtKey]: rt('only') } })))).toMatchObject({ RefreshToken: { [currentRtKey]: rt('only') } });
  });

  it('keys family refresh tokens by family id and non-Bearer tokens by scheme, like msal-node 7', () => {
    const family = rt('foci', { family_id: '1' });
    const pop = { ...at('oid.tid', 'user.read', 9), client_id: 'Client', token_type: 'pop', credential_type: 'AccessToken_With_AuthScheme' };
    const migrated = JSON.parse(
      migrateMsalCache(
        cache({
          RefreshToken: { 'oid.tid-login.microsoftonline.com-refreshtoken-1----': family },
          AccessToken: { 'oid.tid-login.microsoftonline.com-accesstoken_with_authscheme-client-t-user.read--pop': pop },
        }),
      ),
    ) as Record<string, object>;
    expect(Object.keys(migrated['RefreshToken'] ?? {})).toEqual(['oid.tid-login.microsoftonline.com-refreshtoken-1---']);
    expect(Object.keys(migrated['AccessToken'] ?? {})).toEqual(['oid.tid-login.microsoftonline.com-accesstoken_with_authscheme-client-t-user.read-pop']);
  });

  it('returns a cache with nothing to re-file unchanged, and leaves entries it cannot key alone', () => {
    const current = cache({ RefreshToken: { [currentRtKey]: rt('new') } });
    expect(migrateMsalCache(current)).toBe(current);
    expect(migrateMsalCache(EMPTY_MSAL_CACHE)).toBe(EMPTY_MSAL_CACHE);
    expect(migrateMsalCache('')).toBe('');
    const isolated = cache({ RefreshToken: { [legacyRtKey]: { ...rt('x'), additionalCacheKeyComponents: { fmi_path: 'p' } } } });
    expect(migrateMsalCache(isolated)).toBe(isolated);
    const unknownKey = cache({ RefreshToken: { 'some-other-key': rt('x') } });
    expect(migrateMsalCache(unknownKey)).toBe(unknownKey);
  });

  it('merges after re-filing both sides, so an old refresh token never survives a merge', () => {
    const theirs = cache({ RefreshToken: { [legacyRtKey]: rt('theirs-old') } });
    const ours = cache({ RefreshToken: { [currentRtKey]: rt('ours-new') } });
    expect(JSON.parse(mergeMsalCaches(theirs, ours))).toMatchObject({ RefreshToken: { [currentRtKey]: rt('ours-new') } });
    expect(Object.keys((JSON.parse(mergeMsalCaches(theirs, ours)) as { RefreshToken: object }).RefreshToken)).toHaveLength(1);
  });
});
