import { afterEach, describe, expect, it } from 'vitest';
import { userCacheKey } from '../src/index.js';
import { createHarness, type Harness, HOUR, MINUTE } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

describe('getAccessToken', () => {
  it('answers from the cache while the access token is fresh: no request to Entra', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    await h.advance(30 * MINUTE);
    const token = await h.refresher.getToken(result.userId);
    expect(token).toMatchObject({ fromCache: true, expiresAt: result.accessTokenExpiresAt });
    expect(h.entra.countTokenRequests('refresh_token')).toBe(0);
  });

  it('refreshes silently within 5 minutes of expiry, before the token lapses, and stores the new expiry', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    const first = await h.refresher.getAccessToken(result.userId);
    await h.advance(56 * MINUTE);
    const second = await h.refresher.getToken(result.userId);
    expect(second.fromCache).toBe(false);
    expect(second.accessToken).not.toBe(first);
    expect(second.expiresAt).toBe(new Date(h.clock.now().getTime() + HOUR).toISOString());
    expect(h.entra.countTokenRequests('refresh_token')).toBe(1);
    const entry = await h.store.getToken(userCacheKey(result.userId));
    expect(entry).toMatchObject({ version: 2, expiresAt: second.expiresAt });
  });

  it('shares one refresh among concurrent calls for the same user', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    await h.advance(2 * HOUR);
    const tokens = await Promise.all(Array.from({ length: 12 }, () => h.refresher.getAccessToken(result.userId)));
    expect(new Set(tokens).size).toBe(1);
    expect(h.entra.countTokenRequests('refresh_token')).toBe(1);
    expect((await h.store.getToken(userCacheKey(result.userId)))?.version).toBe(2);
  });

  it('keeps users apart: concurrent calls for different users each get their own token', async () => {
    h = await createHarness();
    const a = await h.signIn();
    const b = await h.signIn();
    await h.advance(2 * HOUR);
    const [ta, tb] = await Promise.all([h.refresher.getAccessToken(a.result.userId), h.refresher.getAccessToken(b.result.userId)]);
    const oidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()).oid as string;
    expect(oidOf(ta)).toBe(a.user.oid);
    expect(oidOf(tb)).toBe(b.user.oid);
    expect(h.entra.countTokenRequests('refresh_token')).toBe(2);
  });

  it('serves other consented Graph scopes from the same token, and refreshes them with the same refresh token', async () => {
    h = await createHarness({ refresher: { loginScopes: ['User.Read', 'Mail.Read', 'email'] } });
    const { result } = await h.signIn();
    const mail = await h.refresher.getToken(result.userId, { scopes: ['Mail.Read'] });
    expect(mail).toMatchObject({ fromCache: true });
    expect(mail.scopes.map((s) => s.toLowerCase())).toContain('mail.read');
    await h.advance(2 * HOUR);
    expect((await h.refresher.getToken(result.userId, { scopes: ['Mail.Read'] })).fromCache).toBe(false);
    expect(h.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.scope)).toEqual(['Mail.Read openid profile offline_access']);
  });
});

describe('refreshExpiring (the pre-refresh job)', () => {
  it('refreshes the tokens that expire within the window, and only those', async () => {
    h = await createHarness();
    const early = await h.signIn();
    await h.advance(20 * MINUTE);
    const late = await h.signIn();
    await h.advance(31 * MINUTE); // early expires in 9 min, late in 29 min
    const counts = await h.refresher.refreshExpiring(10 * MINUTE);
    expect(counts).toEqual({ refreshed: 1, reauthRequired: 0, failed: 0, skipped: 0, idle: 0, signedOut: 0, sweptLogins: 0 });
    expect(h.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.oid)).toEqual([early.user.oid]);
    expect((await h.store.getToken(userCacheKey(early.result.userId)))?.expiresAt).toBe(new Date(h.clock.now().getTime() + HOUR).toISOString());
    // The user's next call finds a fresh token: nobody waits on a refresh.
    expect((await h.refresher.getToken(early.result.userId)).fromCache).toBe(true);
    expect((await h.refresher.getToken(late.result.userId)).fromCache).toBe(true);
  });

  it('uses forceRefresh: a token 9 minutes from expiry is refreshed although MSAL would still serve it', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    await h.advance(51 * MINUTE);
    expect((await h.refresher.getToken(result.userId)).fromCache).toBe(true);
    expect((await h.refresher.refreshExpiring()).refreshed).toBe(1);
    expect(h.entra.countTokenRequests('refresh_token')).toBe(1);
  });

  it('sweeps abandoned pending logins once they expire', async () => {
    h = await createHarness();
    await h.refresher.loginUrl();
    await h.refresher.loginUrl();
    expect((await h.refresher.refreshExpiring()).sweptLogins).toBe(0);
    await h.advance(11 * MINUTE);
    expect((await h.refresher.refreshExpiring()).sweptLogins).toBe(2);
    expect(await h.store.inspect.dumpText()).not.toContain('ms365:login:');
  });

  it('runs on the injected clock with startPreRefresh and keeps tokens fresh ahead of use', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    const job = h.refresher.startPreRefresh({ intervalMs: 5 * MINUTE, withinMs: 10 * MINUTE });
    for (let i = 0; i < 36; i++) await h.advance(5 * MINUTE); // three hours
    await job.stop();
    await job.stop();
    // Refreshed at 55, 105, 155 min (each token 10 min from expiry at the first pass that sees it).
    expect(h.entra.countTokenRequests('refresh_token')).toBe(3);
    expect((await h.refresher.getToken(result.userId)).fromCache).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('takes one replica per pass with a lease', async () => {
    h = await createHarness();
    await h.signIn();
    const a = h.makeRefresher({ locks: h.store }).startPreRefresh({ intervalMs: 5 * MINUTE });
    const b = h.makeRefresher({ locks: h.store }).startPreRefresh({ intervalMs: 5 * MINUTE });
    for (let i = 0; i < 12; i++) await h.advance(5 * MINUTE);
    await a.stop();
    await b.stop();
    expect(h.entra.countTokenRequests('refresh_token')).toBe(1);
  });
});

describe('signOut and sessionStatus', () => {
  it('forgets the session; the next call asks for sign-in', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    await h.refresher.signOut(result.userId);
    await h.refresher.signOut(result.userId);
    expect(await h.store.getToken(userCacheKey(result.userId))).toBeNull();
    expect(await h.refresher.sessionStatus(result.userId)).toMatchObject({ state: 'signed_out', loginUrl: '/api/auth/login' });
    await expect(h.refresher.getAccessToken(result.userId)).rejects.toMatchObject({ code: 'reauth_required', loginUrl: '/api/auth/login' });
  });

  it('builds Microsoft’s own logout URL', async () => {
    h = await createHarness();
    expect(h.refresher.microsoftLogoutUrl('https://app.example.test/')).toBe(
      `${h.entra.authority}/oauth2/v2.0/logout?post_logout_redirect_uri=https%3A%2F%2Fapp.example.test%2F`,
    );
  });
});
