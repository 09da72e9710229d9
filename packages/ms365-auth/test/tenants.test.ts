import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@odoo-sync/core/errors';
import { Ms365TokenRefresher, userCacheKey } from '../src/index.js';
import { createHarness, type Harness, HOUR, MINUTE } from './harness.js';

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

function configIssues(make: () => unknown): string[] {
  try {
    make();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => i.path);
    throw error;
  }
  return [];
}

describe('accepted tenants', () => {
  it('refuses multi-tenant options without allowedTenants, and allowedTenants that are not GUIDs or widen a single tenant', async () => {
    h = await createHarness();
    const make = (tenantId: string, allowedTenants?: string[]) => () =>
      h.makeRefresher({ tenantId, ...(allowedTenants === undefined ? {} : { allowedTenants }) });
    expect(configIssues(make('organizations'))).toEqual(['allowedTenants']);
    expect(configIssues(make('common', []))).toEqual(['allowedTenants']);
    expect(configIssues(make('contoso.onmicrosoft.com'))).toEqual(['allowedTenants']);
    expect(configIssues(make('organizations', ['contoso.com']))).toEqual(['allowedTenants']);
    expect(configIssues(make(h.entra.tenantId, [randomUUID()]))).toEqual(['allowedTenants']);
    expect(configIssues(make('organizations', [randomUUID()]))).toEqual([]);
    expect(configIssues(make(h.entra.tenantId, [h.entra.tenantId.toUpperCase()]))).toEqual([]);
    expect(make('organizations')).toThrow(ConfigError);
    expect(() => new Ms365TokenRefresher({ ...h.entra.refresherOptions(), tenantId: 'organizations', redirectUri: h.entra.redirectUris[0] as string, store: h.store, keyring: h.keyring })).toThrow(/allowedTenants/);
  });

  it('with a tenant GUID, refuses an account of another tenant and stores nothing', async () => {
    h = await createHarness();
    const foreign = h.entra.addUser({ upn: 'mallory@fabrikam.test', name: 'Mallory', tenantId: randomUUID() });
    const { url } = await h.refresher.loginUrl();
    const back = h.entra.authorize(url, foreign.oid);
    let resolved = false;
    const refused = h.refresher.handleCallback({ code: back.code, state: back.state }, { resolveUserId: () => ((resolved = true), 'u1') });
    expect(await codeOf(refused)).toBe('unauthenticated');
    expect(resolved).toBe(false);
    expect(await h.store.inspect.dumpText()).not.toContain('ms365:user:');
  });

  it('multi-tenant: accepts the allowed tenants only, and reports the home tenant of a guest', async () => {
    h = await createHarness();
    const partner = randomUUID();
    const multi = h.makeRefresher({ tenantId: 'organizations', allowedTenants: [h.entra.tenantId, partner.toUpperCase()] });
    const member = await h.signIn(h.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }), multi);
    expect(member.result).toMatchObject({ tenantId: h.entra.tenantId, homeTenantId: h.entra.tenantId, objectId: member.user.oid });
    const fromPartner = await h.signIn(h.entra.addUser({ upn: 'pat@partner.test', name: 'Pat', tenantId: partner }), multi);
    expect(fromPartner.result).toMatchObject({ tenantId: partner, homeTenantId: partner });
    const guestHome = randomUUID();
    const guest = await h.signIn(h.entra.addUser({ upn: 'gus@elsewhere.test', name: 'Gus', homeTenantId: guestHome }), multi);
    expect(guest.result).toMatchObject({ tenantId: h.entra.tenantId, homeTenantId: guestHome });

    const stranger = h.entra.addUser({ upn: 'eve@evil.test', name: 'Eve', tenantId: randomUUID() });
    const { url } = await multi.loginUrl();
    const back = h.entra.authorize(url, stranger.oid);
    expect(await codeOf(multi.handleCallback({ code: back.code, state: back.state }))).toBe('unauthenticated');
    expect(await h.store.getToken(userCacheKey(`${stranger.oid}.${stranger.tenantId}`))).toBeNull();
  });
});

describe('refreshPolicy', () => {
  it('refreshes only the users it allows; parks the skipped ones and deletes the signed-out ones', async () => {
    const verdicts = new Map<string, 'refresh' | 'skip' | 'sign_out'>();
    const asked: string[] = [];
    h = await createHarness({
      refresher: {
        refreshPolicy: (userId) => {
          asked.push(userId);
          return verdicts.get(userId) ?? 'refresh';
        },
      },
    });
    const active = await h.signIn();
    const idle = await h.signIn();
    const gone = await h.signIn();
    verdicts.set(idle.result.userId, 'skip');
    verdicts.set(gone.result.userId, 'sign_out');
    await h.advance(51 * MINUTE);
    expect(await h.refresher.refreshExpiring(10 * MINUTE)).toEqual({ refreshed: 1, reauthRequired: 0, failed: 0, skipped: 0, idle: 1, signedOut: 1, sweptLogins: 0 });
    expect(h.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.oid)).toEqual([active.user.oid]);
    expect(await h.store.getToken(userCacheKey(gone.result.userId))).toBeNull();
    // The idle cache is kept (the person can still be served), but the job no longer lists it.
    const parked = await h.store.getToken(userCacheKey(idle.result.userId));
    expect(parked).toMatchObject({ expiresAt: null });
    asked.length = 0;
    await h.advance(2 * HOUR);
    expect((await h.refresher.refreshExpiring(10 * MINUTE)).idle).toBe(0);
    expect(asked).toEqual([active.result.userId]);
    expect(h.entra.countTokenRequests('refresh_token')).toBe(2);
    // A user who signs in again is back on the list.
    verdicts.delete(idle.result.userId);
    await h.signIn(idle.user);
    await h.advance(55 * MINUTE);
    await h.refresher.refreshExpiring(10 * MINUTE);
    expect(h.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.oid)).toContain(idle.user.oid);
  });

  it('a policy that throws counts the user as failed and keeps the cache for the next pass', async () => {
    let broken = true;
    h = await createHarness({
      refresher: {
        refreshPolicy: () => {
          if (broken) throw new Error('store down');
          return 'refresh';
        },
      },
    });
    const { result } = await h.signIn();
    await h.advance(55 * MINUTE);
    expect(await h.refresher.refreshExpiring()).toMatchObject({ refreshed: 0, failed: 1 });
    expect((await h.store.getToken(userCacheKey(result.userId)))?.expiresAt).not.toBeNull();
    broken = false;
    expect(await h.refresher.refreshExpiring()).toMatchObject({ refreshed: 1, failed: 0 });
  });
});
