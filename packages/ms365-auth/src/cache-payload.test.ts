import { describe, expect, it } from 'vitest';
import { accessTokenExpiry, EMPTY_MSAL_CACHE, hasAccount, mergeMsalCaches } from './cache-payload.js';

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
