/**
 * Sessions stored before the upgrade to msal-node 7. The fixture is a token cache as
 * msal-node 3.8.9 serialized it after a sign-in against the fake Entra ID (its keys and fields
 * verbatim; ids, times and token values replaced by placeholders), filled here with the
 * tokens the fake issued to a real sign-in, so Entra knows the refresh token.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { type CachePayload, TokenVault, userCacheKey } from '../src/index.js';
import { migrateMsalCache } from '../src/cache-payload.js';
import { createHarness, type Harness, HOUR } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

type Section = Record<string, Record<string, string>>;
type MsalJson = Record<'Account' | 'IdToken' | 'AccessToken' | 'RefreshToken' | 'AppMetadata', Section>;

const TEMPLATE = readFileSync(new URL('./fixtures/msal-node-3.8.9-cache.json', import.meta.url), 'utf8');

/** The payload of a user's stored entry (decrypted with the harness's keyring). */
async function storedPayload(userId: string): Promise<CachePayload> {
  const read = await new TokenVault(h.store, h.keyring, h.clock).read(userCacheKey(userId));
  if (read.kind !== 'ok') throw new Error(`no readable cache for ${userId}`);
  return read.payload;
}

/** The cache msal-node 3.8.9 would have stored for the session msal-node 7 just stored. */
function asWrittenByMsal3(current: MsalJson, oid: string, tenantId: string, clientId: string): string {
  const only = (section: Section) => {
    const values = Object.values(section);
    expect(values).toHaveLength(1);
    return values[0] as Record<string, string>;
  };
  const account = only(current.Account);
  const at = only(current.AccessToken);
  const values: Record<string, string> = {
    oid,
    tenantId,
    clientId,
    environment: account['environment'] as string,
    username: account['username'] as string,
    name: account['name'] as string,
    clientInfo: account['client_info'] as string,
    idToken: only(current.IdToken)['secret'] as string,
    accessToken: at['secret'] as string,
    refreshToken: only(current.RefreshToken)['secret'] as string,
    target: at['target'] as string,
    targetLower: (at['target'] as string).toLowerCase(),
    cached_at: at['cached_at'] as string,
    expires_on: at['expires_on'] as string,
    extended_expires_on: at['extended_expires_on'] as string,
  };
  // Placeholders sit inside JSON strings (one inside a JSON-encoded string): fill them escaped.
  return TEMPLATE.replace(/\{\{(\w+)\}\}/g, (_, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
}

/** Signs a user in, then replaces the stored cache with the msal-node 3 form of the same session. */
async function signInBeforeUpgrade(): Promise<{ userId: string; oid: string; current: MsalJson }> {
  const { user, result } = await h.signIn();
  const payload = await storedPayload(result.userId);
  const legacy = asWrittenByMsal3(JSON.parse(payload.msal) as MsalJson, user.oid, h.entra.tenantId, h.entra.clientId);
  const key = userCacheKey(result.userId);
  const entry = await h.store.getToken(key);
  await new TokenVault(h.store, h.keyring, h.clock).write(key, { ...payload, msal: legacy }, entry?.version ?? null);
  return { userId: result.userId, oid: user.oid, current: JSON.parse(payload.msal) as MsalJson };
}

const refreshTokensOf = async (userId: string) => Object.values((JSON.parse((await storedPayload(userId)).msal) as MsalJson).RefreshToken);

it('re-files a cache written by msal-node 3 under msal-node 7 keys, and leaves a cache msal-node 7 wrote as it is', async () => {
  h = await createHarness();
  const { result } = await h.signIn();
  const current = (await storedPayload(result.userId)).msal;
  // Guards the next upgrade too: the keys migrateMsalCache computes are the keys MSAL writes.
  expect(migrateMsalCache(current)).toBe(current);

  const before = await signInBeforeUpgrade();
  const legacy = JSON.parse((await storedPayload(before.userId)).msal) as MsalJson;
  const migrated = JSON.parse(migrateMsalCache(JSON.stringify(legacy))) as MsalJson;
  for (const section of ['IdToken', 'AccessToken', 'RefreshToken'] as const) {
    // msal-node 3 keyed each credential with one more empty segment than msal-node 7 does.
    expect(Object.keys(legacy[section])).toEqual(Object.keys(before.current[section]).map((key) => `${key}-`));
    expect(Object.keys(migrated[section])).toEqual(Object.keys(before.current[section]));
    expect(Object.values(migrated[section])).toEqual(Object.values(legacy[section]));
  }
  expect(migrated.Account).toEqual(legacy.Account);
});

it('a session stored by msal-node 3 is served from its cache, then refreshed with one refresh token that slides', async () => {
  // Refresh tokens of one day make the sliding visible (as in week.test.ts).
  h = await createHarness({ entra: { accessTokenLifetimeSec: 3600, refreshTokenLifetimeSec: 86_400 } });
  const { userId, oid, current } = await signInBeforeUpgrade();
  expect((await h.refresher.getToken(userId)).fromCache).toBe(true);

  // Three days of hourly use: every refresh must use (and replace) the newest refresh token.
  // With the msal-node 3 refresh token left in place, MSAL 7 kept sending it and the session
  // ended when it expired, a day after the upgrade.
  for (let hour = 0; hour < 72; hour++) {
    await h.advance(HOUR);
    await h.refresher.getAccessToken(userId);
  }
  expect(h.entra.countTokenRequests('refresh_token', 'invalid_grant')).toBe(0);
  expect(h.entra.countTokenRequests('refresh_token')).toBeGreaterThanOrEqual(72);
  const rts = await refreshTokensOf(userId);
  expect(rts).toHaveLength(1);
  expect(Object.keys((JSON.parse((await storedPayload(userId)).msal) as MsalJson).RefreshToken)).toEqual(Object.keys(current.RefreshToken));
  expect((await h.refresher.sessionStatus(userId)).state).toBe('signed_in');
  expect(h.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').every((r) => r.oid === oid)).toBe(true);
});

it('a session stored by msal-node 3 and already refreshed by msal-node 7 before the fix keeps the newer refresh token', async () => {
  h = await createHarness({ entra: { accessTokenLifetimeSec: 3600, refreshTokenLifetimeSec: 86_400 } });
  const { userId } = await signInBeforeUpgrade();
  // What an unfixed msal-node 7 left behind: the old refresh token under the msal-node 3 key,
  // followed by a newer one under the msal-node 7 key.
  await h.advance(2 * HOUR);
  await h.refresher.getAccessToken(userId);
  const payload = await storedPayload(userId);
  const cache = JSON.parse(payload.msal) as MsalJson;
  const [[newKey, newRt]] = Object.entries(cache.RefreshToken) as [[string, Record<string, string>]];
  const mixed: MsalJson = { ...cache, RefreshToken: { [`${newKey}-`]: { ...newRt, secret: 'the-old-refresh-token' }, [newKey]: newRt } };
  const key = userCacheKey(userId);
  await new TokenVault(h.store, h.keyring, h.clock).write(key, { ...payload, msal: JSON.stringify(mixed) }, (await h.store.getToken(key))?.version ?? null);

  await h.advance(2 * HOUR);
  expect((await h.refresher.getToken(userId)).fromCache).toBe(false);
  expect(h.entra.countTokenRequests('refresh_token', 'invalid_grant')).toBe(0);
  expect((await refreshTokensOf(userId)).map((rt) => rt['secret'])).not.toContain('the-old-refresh-token');
  expect(await refreshTokensOf(userId)).toHaveLength(1);
});
