import { afterEach, describe, expect, it } from 'vitest';
import { Ms365TokenRefresher } from '../src/index.js';
import { createHarness, type Harness, MINUTE } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? `uncoded ${String(error)}`;
  }
  return 'no error';
}

describe('loginUrl', () => {
  it('builds an auth-code URL with state, nonce and an S256 PKCE challenge, and keeps the verifier server-side', async () => {
    h = await createHarness();
    const { url, state, expiresAt } = await h.refresher.loginUrl({ returnTo: '/deals/42' });
    const q = new URL(url).searchParams;
    expect(new URL(url).pathname).toBe(`/${h.entra.tenantId}/oauth2/v2.0/authorize`);
    expect(q.get('client_id')).toBe(h.entra.clientId);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toBe(h.entra.redirectUris[0]);
    expect(q.get('state')).toBe(state);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((q.get('scope') ?? '').split(' ').sort()).toEqual(['User.Read', 'email', 'offline_access', 'openid', 'profile']);
    expect(expiresAt).toBe(new Date(h.clock.now().getTime() + 10 * MINUTE).toISOString());
    // The pending login is stored encrypted: neither the nonce nor the state is readable at rest.
    const dump = await h.store.inspect.dumpText();
    expect(dump).toContain('ms365:login:');
    expect(dump).not.toContain(q.get('nonce'));
    expect(dump).not.toContain(state);
  });

  it('refuses a returnTo that leaves the site', async () => {
    h = await createHarness();
    for (const returnTo of ['https://evil.test/', '//evil.test', '/\\evil.test', 'deals']) {
      expect(await codeOf(h.refresher.loginUrl({ returnTo }))).toBe('input_invalid');
    }
  });
});

describe('handleCallback', () => {
  it('signs the user in and returns who they are, with returnTo', async () => {
    h = await createHarness();
    const ana = h.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana Souza', email: 'Ana.Souza@contoso.test' });
    const { url, state } = await h.refresher.loginUrl({ returnTo: '/deals/42' });
    const back = h.entra.authorize(url, ana.oid);
    const result = await h.refresher.handleCallback(Object.fromEntries(new URL(back.redirectUrl).searchParams), { expectedState: state });
    expect(result).toMatchObject({
      userId: `${ana.oid}.${h.entra.tenantId}`,
      homeAccountId: `${ana.oid}.${h.entra.tenantId}`,
      tenantId: h.entra.tenantId,
      objectId: ana.oid,
      email: 'Ana.Souza@contoso.test',
      username: 'ana@contoso.test',
      name: 'Ana Souza',
      returnTo: '/deals/42',
      idTokenClaims: { aud: h.entra.clientId, tid: h.entra.tenantId, oid: ana.oid, email: 'Ana.Souza@contoso.test' },
    });
    expect(Object.keys(result.idTokenClaims)).not.toContain('nonce');
    expect(await h.refresher.sessionStatus(result.userId)).toMatchObject({ state: 'signed_in', loginUrl: null, account: { username: 'ana@contoso.test' } });
    expect(h.entra.countTokenRequests('authorization_code')).toBe(1);
  });

  it('stores the session under the id chosen by resolveUserId', async () => {
    h = await createHarness();
    const bo = h.entra.addUser({ upn: 'bo@contoso.test', name: 'Bo' });
    const { url } = await h.refresher.loginUrl();
    const back = h.entra.authorize(url, bo.oid);
    const result = await h.refresher.handleCallback(
      { code: back.code, state: back.state },
      { resolveUserId: (identity) => `user-${identity.email}` },
    );
    expect(result.userId).toBe('user-bo@contoso.test');
    expect(await h.refresher.getAccessToken('user-bo@contoso.test')).toMatch(/^ey/);
  });

  it('uses a state once: a replayed callback is refused', async () => {
    h = await createHarness();
    const cy = h.entra.addUser({ upn: 'cy@contoso.test', name: 'Cy' });
    const { url } = await h.refresher.loginUrl();
    const back = h.entra.authorize(url, cy.oid);
    await h.refresher.handleCallback({ code: back.code, state: back.state });
    expect(await codeOf(h.refresher.handleCallback({ code: back.code, state: back.state }))).toBe('unauthenticated');
    expect(h.entra.countTokenRequests('authorization_code')).toBe(1);
  });

  it('refuses a state that expired, one it never issued, and one from another browser', async () => {
    h = await createHarness();
    const di = h.entra.addUser({ upn: 'di@contoso.test', name: 'Di' });
    const first = await h.refresher.loginUrl();
    const back = h.entra.authorize(first.url, di.oid);
    await h.advance(11 * MINUTE);
    expect(await codeOf(h.refresher.handleCallback({ code: back.code, state: back.state }))).toBe('unauthenticated');
    expect(await codeOf(h.refresher.handleCallback({ code: 'x', state: 'never-issued' }))).toBe('unauthenticated');
    const second = await h.refresher.loginUrl();
    const back2 = h.entra.authorize(second.url, di.oid);
    expect(await codeOf(h.refresher.handleCallback({ code: back2.code, state: back2.state }, { expectedState: 'cookie-of-another-login' }))).toBe(
      'unauthenticated',
    );
    expect(h.entra.tokenRequests).toHaveLength(0);
    expect(await codeOf(h.refresher.handleCallback({ code: 'x' }))).toBe('input_invalid');
  });

  it('redeems the code only with the PKCE verifier of its own login (a code swapped into another login fails)', async () => {
    h = await createHarness();
    const ed = h.entra.addUser({ upn: 'ed@contoso.test', name: 'Ed' });
    const attacker = await h.refresher.loginUrl();
    const victim = await h.refresher.loginUrl();
    const stolen = h.entra.authorize(attacker.url, ed.oid);
    expect(await codeOf(h.refresher.handleCallback({ code: stolen.code, state: victim.state }))).toBe('unauthenticated');
    expect(h.entra.tokenRequests.map((r) => [r.outcome, r.errorNo])).toEqual([['invalid_grant', 501481]]);
  });

  it('refuses an id token without this login’s nonce, or from another tenant', async () => {
    h = await createHarness();
    for (const claims of [{ nonce: 'replayed-nonce' }, { nonce: undefined }, { tid: '00000000-0000-0000-0000-000000000000' }, { aud: 'another-app' }]) {
      const { url } = await h.refresher.loginUrl();
      const back = h.entra.authorize(url, h.entra.addUser({ upn: 'x@contoso.test', name: 'X' }).oid);
      h.entra.overrideNextIdToken(claims);
      expect(await codeOf(h.refresher.handleCallback({ code: back.code, state: back.state }))).toBe('unauthenticated');
    }
    expect(await h.store.inspect.dumpText()).not.toContain('ms365:user:');
  });

  it('reports a sign-in cancelled at Microsoft', async () => {
    h = await createHarness();
    const { url } = await h.refresher.loginUrl();
    const back = h.entra.deny(url);
    const params = Object.fromEntries(new URL(back.redirectUrl).searchParams);
    expect(await codeOf(h.refresher.handleCallback(params))).toBe('unauthenticated');
  });

  it('reports an expired client secret as a configuration error', async () => {
    h = await createHarness();
    const wrong = h.makeRefresher({ clientSecret: 'expired-secret' });
    const fe = h.entra.addUser({ upn: 'fe@contoso.test', name: 'Fe' });
    const { url } = await wrong.loginUrl();
    const back = h.entra.authorize(url, fe.oid);
    expect(await codeOf(wrong.handleCallback({ code: back.code, state: back.state }))).toBe('config_invalid');
  });

  it('works with the production authority: MSAL uses built-in metadata and only POSTs to the token endpoint', async () => {
    h = await createHarness();
    const network = h.entra.networkClient(['login.microsoftonline.com']);
    const prod = new Ms365TokenRefresher({
      clientId: h.entra.clientId,
      clientSecret: h.entra.clientSecret,
      tenantId: h.entra.tenantId,
      redirectUri: h.entra.redirectUris[0] as string,
      store: h.store,
      keyring: h.keysText,
      clock: h.clock,
      networkClient: network,
    });
    const { url } = await prod.loginUrl();
    expect(new URL(url).origin).toBe('https://login.microsoftonline.com');
    const gus = h.entra.addUser({ upn: 'gus@contoso.test', name: 'Gus' });
    const back = h.entra.authorize(url, gus.oid);
    const me = await prod.handleCallback({ code: back.code, state: back.state });
    await h.advance(56 * MINUTE);
    expect(await prod.getAccessToken(me.userId)).toMatch(/^ey/);
    expect(network.requests.map((r) => `${r.method} ${new URL(r.url).host}${new URL(r.url).pathname}`)).toEqual([
      `POST login.microsoftonline.com/${h.entra.tenantId}/oauth2/v2.0/token`,
      `POST login.microsoftonline.com/${h.entra.tenantId}/oauth2/v2.0/token`,
    ]);
  });

  it('refuses every host but 127.0.0.1', async () => {
    h = await createHarness();
    const network = h.entra.networkClient();
    await expect(network.sendGetRequestAsync('https://login.microsoftonline.com/common/discovery/instance')).rejects.toThrow(/refused/);
    expect(network.requests).toEqual([{ method: 'GET', url: 'https://login.microsoftonline.com/common/discovery/instance', refused: true }]);
  });
});
