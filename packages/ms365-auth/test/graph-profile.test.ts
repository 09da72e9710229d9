import type { Logger } from '@odoo-sync/core';
import { afterEach, describe, expect, it } from 'vitest';
import { GRAPH_PROFILE_SELECT } from '../src/graph-profile.js';
import { type Ms365Events, vouchedAddresses } from '../src/index.js';
import type { FakeGraphFailure } from '../src/testing/index.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
  return { lines, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

function graphEvents(h: Harness): Parameters<Ms365Events['profile:read']>[0][] {
  const seen: Parameters<Ms365Events['profile:read']>[0][] = [];
  h.refresher.on('profile:read', (event) => seen.push(event));
  return seen;
}

describe('the Microsoft Graph profile at sign-in', () => {
  it('is read with the access token just redeemed ($select of what linking uses) and returned with the sign-in', async () => {
    h = await createHarness();
    const events = graphEvents(h);
    const ana = h.entra.addUser({
      upn: 'ana@contoso.test',
      name: 'Ana Souza',
      proxyAddresses: ['SMTP:ana@contoso.test', 'smtp:Ana.Souza@Old.Example', 'SIP:ana@contoso.test', 'x500:/o=ExchangeLabs/cn=ana'],
      otherMails: ['ana.backup@contoso.test'],
      employeeId: 'E-0070',
    });
    const { result } = await h.signIn(ana);
    expect(result.profile).toEqual({
      mail: 'ana@contoso.test',
      userPrincipalName: 'ana@contoso.test',
      proxyAddresses: ['SMTP:ana@contoso.test', 'smtp:Ana.Souza@Old.Example', 'SIP:ana@contoso.test', 'x500:/o=ExchangeLabs/cn=ana'],
      otherMails: ['ana.backup@contoso.test'],
      employeeId: 'E-0070',
      givenName: 'Ana',
      surname: 'Souza',
      displayName: 'Ana Souza',
    });
    expect(vouchedAddresses(result.profile!)).toEqual(['ana@contoso.test', 'ana.souza@old.example', 'ana.backup@contoso.test']);
    expect(h.entra.graph.requests).toEqual([{ oid: ana.oid, select: GRAPH_PROFILE_SELECT, status: 200 }]);
    expect(events).toEqual([{ outcome: 'read', reason: null }]);
  });

  it.each<[FakeGraphFailure, string]>([
    ['unavailable', 'server_error'],
    ['throttled', 'throttled'],
    ['unauthorized', 'unauthorized'],
    ['forbidden', 'forbidden'],
    ['malformed', 'malformed'],
    ['reset', 'network'],
  ])('never stops the sign-in: Graph %s → profile null, logged (no token) and emitted as %s', async (mode, reason) => {
    const { logger, lines } = capturingLogger();
    h = await createHarness({ refresher: { logger } });
    const events = graphEvents(h);
    h.entra.graph.fail(mode);
    const { user, result } = await h.signIn();
    expect(result).toMatchObject({ username: user.upn, profile: null });
    expect((await h.refresher.sessionStatus(result.userId)).state).toBe('signed_in');
    expect(events).toEqual([{ outcome: 'failed', reason }]);
    const warning = lines.find((line) => line.includes('Microsoft Graph profile not read')) ?? '';
    expect(warning).toContain(`"reason":"${reason}"`);
    for (const secret of h.entra.issuedSecrets) expect(lines.join('\n')).not.toContain(secret);
  });

  it('gives up after graphTimeoutMs on the injected clock when Graph hangs, and the sign-in goes on', async () => {
    h = await createHarness({ refresher: { graphTimeoutMs: 3000 } });
    const events = graphEvents(h);
    h.entra.graph.fail('hang');
    const signingIn = h.signIn();
    // Date is faked in these tests: the deadline reads the monotonic clock.
    const deadline = performance.now() + 20_000;
    while (h.entra.graph.requests.length === 0) {
      if (performance.now() > deadline) throw new Error('Graph was never asked');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await h.advance(3000);
    const { result } = await signingIn;
    expect(result.profile).toBeNull();
    expect(events).toEqual([{ outcome: 'failed', reason: 'timeout' }]);
  });

  it('is skipped when turned off or when the sign-in scopes cannot read it', async () => {
    h = await createHarness();
    const off = h.makeRefresher({ readProfile: false });
    const skipped: unknown[] = [];
    off.on('profile:read', (event) => skipped.push(event));
    expect((await h.signIn(undefined, off)).result.profile).toBeNull();
    const noUserRead = h.makeRefresher({ loginScopes: ['email'] });
    noUserRead.on('profile:read', (event) => skipped.push(event));
    expect((await h.signIn(undefined, noUserRead)).result.profile).toBeNull();
    expect(skipped).toEqual([
      { outcome: 'skipped', reason: null },
      { outcome: 'skipped', reason: null },
    ]);
    expect(h.entra.graph.requests).toEqual([]);
  });

  it('refuses a graphBaseUrl that is not https (http only on loopback)', async () => {
    h = await createHarness();
    expect(() => h.makeRefresher({ graphBaseUrl: 'http://graph.example.com' })).toThrow(/graphBaseUrl must be https/);
    expect(() => h.makeRefresher({ graphTimeoutMs: 0 })).toThrow(/graphTimeoutMs/);
  });
});

describe("FakeEntraId's Graph /v1.0/me", () => {
  it('answers only a Bearer token it issued, with Graph error JSON otherwise, and honours $select', async () => {
    h = await createHarness();
    const { result } = await h.signIn(h.entra.addUser({ upn: 'bo@contoso.test', name: 'Bo Li', employeeId: '42' }));
    const token = (await h.refresher.getToken(result.userId)).accessToken;
    const me = (headers: Record<string, string>, query = '') => fetch(`${h.entra.graphBaseUrl}/v1.0/me${query}`, { headers });
    const none = await me({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken', message: expect.any(String), innerError: { 'request-id': expect.any(String) } } });
    expect((await me({ authorization: 'Bearer not-a-token' })).status).toBe(401);
    const selected = await me({ authorization: `Bearer ${token}` }, '?$select=employeeId,mail');
    expect(selected.status).toBe(200);
    const body = (await selected.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['@odata.context', 'employeeId', 'mail']);
    expect(body).toMatchObject({ employeeId: '42', mail: 'bo@contoso.test' });
    const defaults = (await (await me({ authorization: `Bearer ${token}` })).json()) as Record<string, unknown>;
    expect(defaults).toMatchObject({ displayName: 'Bo Li', userPrincipalName: 'bo@contoso.test' });
    expect(defaults).not.toHaveProperty('employeeId');
    expect((await me({ authorization: `Bearer ${token}` }, '?$select=nope')).status).toBe(400);
  });
});
