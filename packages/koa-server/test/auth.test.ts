import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { MemorySource, MemoryStore, Reconciler, SyncScheduler, systemClock } from '@odoo-sync/core';
import { generateTokenKey, Ms365TokenRefresher } from '@odoo-sync/ms365-auth';
import { FakeEntraId, type FakeEntraIdOptions } from '@odoo-sync/ms365-auth/testing';
import { ConfigError } from '@odoo-sync/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiKey } from '../src/auth/api-keys.js';
import { createApp } from '../src/http/app.js';
import { loadConfig, SECRET_VARIABLES } from '../src/runtime/config.js';
import { startServer } from '../src/runtime/composition.js';
import { createLogger, type ServerLogger } from '../src/runtime/logger.js';
import type { SignInOptions } from '../src/http/routes/auth.js';
import { LOGIN_STATE_COOKIE, SESSION_COOKIE, SessionManager, sessionKey } from '../src/auth/session.js';
import { seedSource } from './helpers.js';
import { browse, CookieJar, signIn } from './browser.js';

const COOKIE_KEY = 'test-session-secret-0123456789-abcdefghij';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Replica {
  url: string;
  refresher: Ms365TokenRefresher | null;
}

interface World {
  entra: FakeEntraId;
  store: MemoryStore;
  tokenKeys: string;
  logLines: string[];
  logger: ServerLogger;
  /** Starts a server (a replica) on the shared store. */
  replica(options?: { ms365?: boolean; trustProxy?: boolean; autoApproveDomains?: string[]; linkAutomatically?: boolean }): Promise<Replica>;
}

async function world(entraOptions: FakeEntraIdOptions = {}): Promise<World> {
  const entra = await FakeEntraId.start(entraOptions);
  cleanups.push(() => entra.close());
  const store = new MemoryStore();
  cleanups.push(() => store.close());
  const tokenKeys = `k1:${generateTokenKey()}`;
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const w: World = {
    entra,
    store,
    tokenKeys,
    logLines,
    logger,
    async replica(options = {}) {
      const source = new MemorySource();
      seedSource(source);
      const reconciler = new Reconciler({ source, store, retry: false });
      const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store, retry: false });
      const refresher =
        options.ms365 === false
          ? null
          : new Ms365TokenRefresher({
              ...entra.refresherOptions(),
              redirectUri: entra.redirectUris[0] as string,
              store,
              keyring: tokenKeys,
              retry: false,
              logger: logger.child({ component: 'ms365' }),
              onReauthRequired: async ({ userId }) => {
                await store.updateUser(userId, { reauthRequired: true }, new Date());
              },
            });
      const signIn: SignInOptions = {
        sessions: new SessionManager({ store }),
        cookieKeys: [COOKIE_KEY],
        ms365: refresher,
        autoApproveDomains: options.autoApproveDomains ?? [],
      };
      const app = createApp({ store, scheduler, reconciler, logger, signIn, config: { trustProxy: options.trustProxy ?? false, ...(options.linkAutomatically === undefined ? {} : { linkAutomatically: options.linkAutomatically }) } });
      const server: Server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', resolve));
      cleanups.push(async () => {
        await scheduler.stop();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, refresher };
    },
  };
  return w;
}

/** A world whose store already holds a full sync of the seeded Odoo data (users 2 and 6, employees 1 and 2). */
async function syncedWorld(): Promise<World> {
  const w = await world();
  const source = new MemorySource();
  seedSource(source);
  const synced = await new Reconciler({ source, store: w.store, retry: false }).run({ mode: 'full', trigger: 'manual' });
  expect(synced.status).toBe('success');
  return w;
}

describe('Microsoft 365 sign-in', () => {
  it('signs in without a browser: login → Microsoft → callback → session cookie → /api/auth/me; the first user is admin', async () => {
    const w = await world();
    const app = await w.replica();
    const ana = w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana Souza' });
    const jar = new CookieJar();
    const { login, microsoft, callback } = await signIn(w, app, jar, ana, '/deals/42');

    expect(new URL(microsoft).pathname).toBe(`/${w.entra.tenantId}/oauth2/v2.0/authorize`);
    const stateCookie = login.headers.getSetCookie().find((c) => c.startsWith(`${LOGIN_STATE_COOKIE}=`)) ?? '';
    expect(stateCookie).toMatch(/httponly/i);
    expect(stateCookie).toMatch(/samesite=lax/i);
    expect(stateCookie).toMatch(/path=\/api\/auth/i);

    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/deals/42');
    const sessionCookie = callback.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(sessionCookie).toMatch(/httponly/i);
    expect(sessionCookie).toMatch(/samesite=lax/i);
    expect(sessionCookie).not.toMatch(/secure/i);
    const expires = Date.parse(/expires=([^;]+)/i.exec(sessionCookie)?.[1] ?? '');
    expect(expires - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(jar.cookies.has(`${SESSION_COOKIE}.sig`)).toBe(true);
    expect(jar.cookies.has(LOGIN_STATE_COOKIE)).toBe(false);

    const me = await browse(jar, `${app.url}/api/auth/me`);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      user: { email: 'ana@contoso.test', name: 'Ana Souza', role: 'admin', status: 'approved', odooLink: null, reauthRequired: false },
      authMethod: 'session',
      ms365: { state: 'signed_in', account: { username: 'ana@contoso.test', tenantId: w.entra.tenantId }, loginUrl: null },
    });
    // The session works on the API, and the store holds only the hash of its id.
    expect((await browse(jar, `${app.url}/api/sync/settings`)).status).toBe(200);
    const sessionId = jar.cookies.get(SESSION_COOKIE) ?? '';
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const entry = await w.store.getToken(sessionKey(sessionId));
    expect(entry?.blob).toContain(me.json.user.id);
    expect(JSON.stringify(entry)).not.toContain(sessionId);
  });

  it('makes later users pending unless their domain is auto-approved; signing in again keeps the user', async () => {
    const w = await world();
    const app = await w.replica({ autoApproveDomains: ['@Partner.test'] });
    const first = await signIn(w, app, new CookieJar(), w.entra.addUser({ upn: 'boss@contoso.test', name: 'Boss' }));
    expect(first.callback.status).toBe(302);

    const bobJar = new CookieJar();
    await signIn(w, app, bobJar, w.entra.addUser({ upn: 'bob@contoso.test', name: 'Bob' }));
    const bob = await browse(bobJar, `${app.url}/api/auth/me`);
    expect(bob.json.user).toMatchObject({ email: 'bob@contoso.test', role: 'user', status: 'pending' });
    const forbidden = await browse(bobJar, `${app.url}/api/sync/status`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe('forbidden');

    const carlaJar = new CookieJar();
    const carlaUser = w.entra.addUser({ upn: 'carla@partner.test', name: 'Carla' });
    await signIn(w, app, carlaJar, carlaUser);
    const carla = await browse(carlaJar, `${app.url}/api/auth/me`);
    expect(carla.json.user).toMatchObject({ role: 'user', status: 'approved' });
    expect((await browse(carlaJar, `${app.url}/api/sync/status`)).status).toBe(200);

    await signIn(w, app, carlaJar, carlaUser);
    expect(await w.store.countUsers()).toBe(3);
    expect((await browse(carlaJar, `${app.url}/api/auth/me`)).json.user.id).toBe(carla.json.user.id);
  });

  it('links an approved person to their Odoo user and employee at sign-in, when exactly one person fits', async () => {
    const w = await syncedWorld();
    const app = await w.replica({ autoApproveDomains: ['example.com'] });

    // The first user (admin) is in no Odoo record: signed in, not linked.
    const bossJar = new CookieJar();
    expect((await signIn(w, app, bossJar, w.entra.addUser({ upn: 'boss@contoso.test', name: 'Boss' }))).callback.status).toBe(302);
    expect((await browse(bossJar, `${app.url}/api/auth/me`)).json.user).toMatchObject({ role: 'admin', odooLink: null });

    // Marc's Microsoft 365 address is his Odoo user's: linked as he signs in, by himself.
    const marcJar = new CookieJar();
    expect((await signIn(w, app, marcJar, w.entra.addUser({ upn: 'Marc@Example.com', name: 'Marc Demo' }))).callback.status).toBe(302);
    const marc = (await browse(marcJar, `${app.url}/api/auth/me`)).json.user;
    expect(marc).toMatchObject({ status: 'approved', odooLink: { odooUserId: 6, employeeId: 2, strategy: 'email', linkedBy: marc.id } });

    // A pending person is not linked until approved.
    const pendingJar = new CookieJar();
    await signIn(w, app, pendingJar, w.entra.addUser({ upn: 'mitchell@contoso.test', name: 'Mitchell Admin' }));
    expect((await browse(pendingJar, `${app.url}/api/auth/me`)).json.user).toMatchObject({ status: 'pending', odooLink: null });
  });

  it("also links on the Microsoft 365 sign-in name (UPN) when it is not the person's e-mail", async () => {
    const w = await syncedWorld();
    const app = await w.replica();
    const jar = new CookieJar();
    await signIn(w, app, jar, w.entra.addUser({ upn: 'Marc@Example.com', email: 'marc.demo@contoso.test', name: 'Marc Demo' }));
    const me = (await browse(jar, `${app.url}/api/auth/me`)).json.user;
    expect(me).toMatchObject({
      email: 'marc.demo@contoso.test',
      otherEmails: ['Marc@Example.com'],
      odooLink: { odooUserId: 6, employeeId: 2, strategy: 'email' },
    });
  });

  it('with linkAutomatically: false, signing in links nobody', async () => {
    const w = await syncedWorld();
    const app = await w.replica({ autoApproveDomains: ['example.com'], linkAutomatically: false });
    await signIn(w, app, new CookieJar(), w.entra.addUser({ upn: 'boss@contoso.test', name: 'Boss' }));
    const marcJar = new CookieJar();
    await signIn(w, app, marcJar, w.entra.addUser({ upn: 'marc@example.com', name: 'Marc Demo' }));
    expect((await browse(marcJar, `${app.url}/api/auth/me`)).json.user).toMatchObject({ status: 'approved', odooLink: null });
    expect((await browse(marcJar, `${app.url}/api/auth/relink-odoo`, { method: 'POST', headers: { Origin: app.url } })).json).toMatchObject({
      odooLink: { odooUserId: 6, strategy: 'email' },
    });
  });

  it('an existing admin (e.g. the bootstrap key) means the first Microsoft 365 user is pending', async () => {
    const w = await world();
    await issueApiKey(w.store, { email: 'admin@odoo-sync.local', role: 'admin', clock: systemClock });
    const app = await w.replica();
    const jar = new CookieJar();
    await signIn(w, app, jar, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }));
    expect((await browse(jar, `${app.url}/api/auth/me`)).json.user).toMatchObject({ role: 'user', status: 'pending' });
  });

  it('refuses a callback without the state cookie, with another browser\'s state, or reused', async () => {
    const w = await world();
    const app = await w.replica();
    const ana = w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' });

    const attacker = new CookieJar();
    const login = await browse(attacker, `${app.url}/api/auth/login`);
    const back = new URL(w.entra.authorize(login.headers.get('location') ?? '', ana.oid).redirectUrl);
    const victim = new CookieJar();
    const noCookie = await browse(victim, `${app.url}/api/auth/callback${back.search}`);
    expect(noCookie.status).toBe(401);
    expect(noCookie.json.error.code).toBe('unauthenticated');

    await browse(victim, `${app.url}/api/auth/login`);
    const otherState = await browse(victim, `${app.url}/api/auth/callback${back.search}`);
    expect(otherState.status).toBe(401);
    expect(victim.cookies.has(SESSION_COOKIE)).toBe(false);

    expect(await w.store.countUsers()).toBe(0);

    // The browser that started it can finish it (refused attempts did not use it up), once.
    const ok = await browse(attacker, `${app.url}/api/auth/callback${back.search}`);
    expect(ok.status).toBe(302);
    const replayJar = new CookieJar();
    replayJar.cookies.set(LOGIN_STATE_COOKIE, login.headers.getSetCookie()[0]?.split(';')[0]?.split('=')[1] ?? '');
    const sig = login.headers.getSetCookie().find((c) => c.startsWith(`${LOGIN_STATE_COOKIE}.sig=`));
    replayJar.cookies.set(`${LOGIN_STATE_COOKIE}.sig`, sig?.split(';')[0]?.split('=')[1] ?? '');
    const reused = await browse(replayJar, `${app.url}/api/auth/callback${back.search}`);
    expect(reused.status).toBe(401);
    expect(await w.store.countUsers()).toBe(1);
  });

  it('answers 401 for a tampered or unknown session cookie', async () => {
    const w = await world();
    const app = await w.replica();
    const jar = new CookieJar();
    await signIn(w, app, jar, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }));
    const forged = new CookieJar();
    forged.cookies.set(SESSION_COOKIE, 'A'.repeat(43));
    forged.cookies.set(`${SESSION_COOKIE}.sig`, jar.cookies.get(`${SESSION_COOKIE}.sig`) ?? '');
    expect((await browse(forged, `${app.url}/api/auth/me`)).status).toBe(401);
    const unsigned = new CookieJar();
    unsigned.cookies.set(SESSION_COOKIE, jar.cookies.get(SESSION_COOKIE) ?? '');
    expect((await browse(unsigned, `${app.url}/api/auth/me`)).status).toBe(401);
  });

  it('refuses a cross-site request that would change something with the session cookie', async () => {
    const w = await world();
    const app = await w.replica();
    const jar = new CookieJar();
    await signIn(w, app, jar, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }));
    const cross = await browse(jar, `${app.url}/api/sync/settings`, { method: 'PUT', body: { intervalMinutes: 30 }, headers: { Origin: 'https://evil.test' } });
    expect(cross.status).toBe(403);
    const same = await browse(jar, `${app.url}/api/sync/settings`, { method: 'PUT', body: { intervalMinutes: 30 }, headers: { Origin: app.url } });
    expect(same.status).toBe(200);
  });

  it('a write with the session cookie needs the session\'s CSRF token (X-CSRF-Token); API keys do not', async () => {
    const w = await world();
    const app = await w.replica();
    const jar = new CookieJar();
    await signIn(w, app, jar, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }));
    const me = await browse(jar, `${app.url}/api/auth/me`);
    const token = me.json.csrfToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A same-origin write without the token, or with a made-up one, is refused with what to do.
    for (const headers of [{ Origin: app.url }, { Origin: app.url, 'X-CSRF-Token': 'x'.repeat(43) }, { 'X-CSRF-Token': `${token}x` }]) {
      const refused = await browse(jar, `${app.url}/api/sync/settings`, { method: 'PUT', body: { intervalMinutes: 45 }, headers, csrf: false });
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe('csrf_failed');
      expect(refused.json.error.details.hint).toContain('X-CSRF-Token');
    }
    expect((await browse(jar, `${app.url}/api/sync/settings`)).json.intervalMinutes).not.toBe(45);
    // Another session's token does not fit this one (every sign-in has its own).
    const bobJar = new CookieJar();
    await signIn(w, app, bobJar, w.entra.addUser({ upn: 'bob@contoso.test', name: 'Bob' }));
    const bobToken = (await browse(bobJar, `${app.url}/api/auth/me`)).json.csrfToken as string;
    expect(bobToken).not.toBe(token);
    const crossed = await browse(jar, `${app.url}/api/sync/settings`, { method: 'PUT', body: { intervalMinutes: 45 }, headers: { 'X-CSRF-Token': bobToken } });
    expect(crossed.json.error.code).toBe('csrf_failed');
    // A cross-site write is refused even with the right token (the Origin check comes first).
    const cross = await browse(jar, `${app.url}/api/sync/settings`, { method: 'PUT', body: { intervalMinutes: 45 }, headers: { Origin: 'https://evil.test', 'X-CSRF-Token': token } });
    expect(cross.json.error.code).toBe('csrf_rejected');
    // With its token, the same-origin write passes; so does sign-out, which needs it too.
    const same = await browse(jar, `${app.url}/api/sync/settings`, { method: 'PUT', body: { intervalMinutes: 45 }, headers: { Origin: app.url, 'X-CSRF-Token': token } });
    expect(same.status).toBe(200);
    expect((await browse(jar, `${app.url}/api/auth/logout`, { method: 'POST', csrf: false })).json.error.code).toBe('csrf_failed');
    expect((await browse(jar, `${app.url}/api/auth/logout`, { method: 'POST', headers: { 'X-CSRF-Token': token } })).status).toBe(204);
    // API-key callers have no token and need none.
    const { key } = await issueApiKey(w.store, { email: 'ops@contoso.test', role: 'admin', clock: systemClock });
    const byKey = await browse(new CookieJar(), `${app.url}/api/auth/me`, { headers: { Authorization: `Bearer ${key}` } });
    expect(byKey.json.csrfToken).toBeNull();
    expect((await browse(new CookieJar(), `${app.url}/api/sync/settings`, { method: 'PUT', body: { intervalMinutes: 20 }, headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  it('logout ends the session on every replica and forgets the Microsoft 365 tokens', async () => {
    const w = await world();
    const a = await w.replica();
    const b = await w.replica();
    const jar = new CookieJar();
    await signIn(w, a, jar, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }));
    const sessionId = jar.cookies.get(SESSION_COOKIE) ?? '';
    const cookie = jar.header();
    const onB = await browse(jar, `${b.url}/api/auth/me`);
    expect(onB.status).toBe(200);
    const userId = onB.json.user.id as string;

    const out = await browse(jar, `${b.url}/api/auth/logout`, { method: 'POST' });
    expect(out.status).toBe(204);
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await w.store.getToken(sessionKey(sessionId))).toBeNull();

    // The old cookie, replayed on the other replica, is refused.
    const replay = await fetch(`${a.url}/api/auth/me`, { headers: { Cookie: cookie } });
    expect(replay.status).toBe(401);
    expect((await fetch(`${a.url}/api/sync/status`, { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await a.refresher!.sessionStatus(userId)).state).toBe('signed_out');
    // Idempotent.
    expect((await browse(new CookieJar(), `${a.url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);
  });

  it('answers 401 reauth_required with the login URL when Microsoft will not refresh; signing in again clears it', async () => {
    const w = await world({ accessTokenLifetimeSec: 120 });
    const app = await w.replica();
    const ana = w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' });
    const jar = new CookieJar();
    await signIn(w, app, jar, ana);
    const healthy = await browse(jar, `${app.url}/api/auth/ms365/session`);
    expect(healthy.status).toBe(200);
    expect(healthy.json).toMatchObject({ state: 'signed_in', fromCache: false });
    expect(healthy.text).not.toMatch(/eyJ/);

    w.entra.revokeRefreshTokens(ana.oid);
    const dead = await browse(jar, `${app.url}/api/auth/ms365/session`);
    expect(dead.status).toBe(401);
    expect(dead.json).toEqual({
      error: { code: 'reauth_required', loginUrl: '/api/auth/login', message: expect.stringContaining('sign in again'), details: expect.objectContaining({ loginUrl: '/api/auth/login' }) },
    });
    const me = await browse(jar, `${app.url}/api/auth/me`);
    expect(me.status).toBe(200);
    expect(me.json.user.reauthRequired).toBe(true);
    expect(me.json.ms365).toMatchObject({ state: 'reauth_required', loginUrl: '/api/auth/login', reauth: { reason: 'invalid_grant' } });

    await signIn(w, app, jar, ana);
    const after = await browse(jar, `${app.url}/api/auth/me`);
    expect(after.json.user.reauthRequired).toBe(false);
    expect(after.json.ms365.state).toBe('signed_in');
    expect((await browse(jar, `${app.url}/api/auth/ms365/session`)).status).toBe(200);
  });

  it('sets Secure behind a trusted TLS proxy only', async () => {
    const w = await world();
    const trusting = await w.replica({ trustProxy: true });
    const plain = await w.replica();
    const tls = await browse(new CookieJar(), `${trusting.url}/api/auth/login`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(tls.headers.getSetCookie().every((c) => /;\s*secure/i.test(c))).toBe(true);
    const spoofed = await browse(new CookieJar(), `${plain.url}/api/auth/login`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(spoofed.headers.getSetCookie().some((c) => /;\s*secure/i.test(c))).toBe(false);
  });

  it('logs nothing secret: no code, token, state, session id, cookie or client secret', async () => {
    const w = await world({ accessTokenLifetimeSec: 120 });
    const app = await w.replica();
    const ana = w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' });
    const jar = new CookieJar();
    const { code, state } = await signIn(w, app, jar, ana);
    const sessionId = jar.cookies.get(SESSION_COOKIE) ?? '';
    await browse(jar, `${app.url}/api/auth/me`);
    await browse(jar, `${app.url}/api/auth/ms365/session`);
    await browse(jar, `${app.url}/api/auth/relink-odoo`, { method: 'POST' });
    w.entra.revokeRefreshTokens(ana.oid);
    await browse(jar, `${app.url}/api/auth/ms365/session`);
    await browse(jar, `${app.url}/api/auth/logout`, { method: 'POST' });

    const all = w.logLines.join('\n');
    expect(all).toContain('signed in with Microsoft 365');
    expect(w.entra.issuedSecrets.length).toBeGreaterThan(2);
    for (const secret of [...w.entra.issuedSecrets, code, state, sessionId, COOKIE_KEY, w.entra.clientSecret, w.tokenKeys.slice(3)]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(all).not.toContain(secret);
    }
    for (const raw of jar.raw) expect(all).not.toContain(raw.split(';')[0]);
  });
});

describe('without Microsoft 365', () => {
  it('login and callback answer 404 ms365_not_configured; /me works with an API key', async () => {
    const w = await world();
    const app = await w.replica({ ms365: false });
    for (const path of ['/api/auth/login', '/api/auth/callback?code=x&state=y']) {
      const res = await browse(new CookieJar(), `${app.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('ms365_not_configured');
    }
    const { key } = await issueApiKey(w.store, { email: 'ops@example.com', role: 'admin', clock: systemClock });
    const me = await fetch(`${app.url}/api/auth/me`, { headers: { Authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: 'ops@example.com', role: 'admin' }, authMethod: 'api_key', ms365: null });
    expect((await fetch(`${app.url}/api/auth/me`)).status).toBe(401);
  });
});

describe('configuration', () => {
  const base = {
    MS365_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    MS365_CLIENT_SECRET: 'client-secret-value-xyz',
    MS365_TENANT_ID: '66666666-7777-8888-9999-000000000000',
    MS365_REDIRECT_URI: 'https://crm.acme.com/api/auth/callback',
    TOKEN_KEYS: `k2:${generateTokenKey()},k1:${generateTokenKey()}`,
    SESSION_SECRET: COOKIE_KEY,
    AUTO_APPROVE_DOMAINS: 'Acme.com, @acme.eu',
    TRUST_PROXY: 'true',
  };
  const fails = (env: Record<string, string>): ConfigError => {
    try {
      loadConfig(env, { envFile: false });
    } catch (err) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads Microsoft 365 sign-in, auto-approved domains and the proxy setting; secrets stay hidden', () => {
    const config = loadConfig(base, { envFile: false });
    expect(config.ms365).toMatchObject({ clientId: base.MS365_CLIENT_ID, tenantId: base.MS365_TENANT_ID, redirectUri: base.MS365_REDIRECT_URI });
    expect(config.ms365?.clientSecret.reveal()).toBe(base.MS365_CLIENT_SECRET);
    expect(config.ms365?.tokenKeys.reveal()).toBe(base.TOKEN_KEYS);
    expect(config).toMatchObject({ autoApproveDomains: ['acme.com', 'acme.eu'], trustProxy: true });
    const printed = `${inspect(config, { depth: 5 })}${JSON.stringify(config)}`;
    for (const secret of [base.MS365_CLIENT_SECRET, base.TOKEN_KEYS.split(',')[0]!.slice(3), base.SESSION_SECRET]) expect(printed).not.toContain(secret);
    expect(SECRET_VARIABLES).toEqual(expect.arrayContaining(['MS365_CLIENT_SECRET', 'TOKEN_KEYS', 'SESSION_SECRET']));
    expect(loadConfig({}, { envFile: false })).toMatchObject({ ms365: null, autoApproveDomains: [], trustProxy: false });
  });

  it('names every missing or bad variable, never a key', () => {
    const partial = fails({ MS365_CLIENT_ID: base.MS365_CLIENT_ID });
    expect(partial.issues.map((i) => i.path).sort()).toEqual(['MS365_CLIENT_SECRET', 'MS365_REDIRECT_URI', 'MS365_TENANT_ID', 'SESSION_SECRET', 'TOKEN_KEYS']);
    const shortKey = Buffer.alloc(16, 7).toString('base64');
    const bad = fails({ ...base, TOKEN_KEYS: `k1:${shortKey}`, MS365_REDIRECT_URI: 'http://crm.acme.com/api/auth/callback', AUTO_APPROVE_DOMAINS: 'not a domain', TRUST_PROXY: 'yes' });
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['AUTO_APPROVE_DOMAINS', 'MS365_REDIRECT_URI', 'TOKEN_KEYS', 'TRUST_PROXY']);
    const tokenIssue = bad.issues.find((i) => i.path === 'TOKEN_KEYS')?.message ?? '';
    expect(tokenIssue).toContain('32 bytes');
    expect(JSON.stringify(bad.issues) + bad.message).not.toContain(shortKey);
  });

  it('startServer wires sessions and Microsoft 365 from the configuration', async () => {
    const entra = await FakeEntraId.start();
    cleanups.push(() => entra.close());
    const source = new MemorySource();
    seedSource(source);
    const config = loadConfig(
      {
        PORT: '0',
        LOG_LEVEL: 'silent',
        MS365_CLIENT_ID: entra.clientId,
        MS365_CLIENT_SECRET: entra.clientSecret,
        MS365_TENANT_ID: entra.tenantId,
        MS365_REDIRECT_URI: entra.redirectUris[0],
        TOKEN_KEYS: `k1:${generateTokenKey()}`,
        SESSION_SECRET: COOKIE_KEY,
      },
      { envFile: false },
    );
    const { clientId: _c, clientSecret: _s, tenantId: _t, ...pointAtFake } = entra.refresherOptions();
    const running = await startServer(config, {
      store: new MemoryStore(),
      source,
      logger: createLogger({ level: 'silent' }),
      processMetrics: false,
      ms365: { ...pointAtFake, retry: false },
    });
    cleanups.push(() => running.close());
    expect(running.ms365).not.toBeNull();
    const jar = new CookieJar();
    const { callback } = await signIn({ entra }, { url: running.url }, jar, entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }));
    expect(callback.status).toBe(302);
    const me = await browse(jar, `${running.url}/api/auth/me`);
    expect(me.json).toMatchObject({ user: { role: 'admin', status: 'approved' }, ms365: { state: 'signed_in' } });
    expect(await running.ms365!.getAccessToken(me.json.user.id)).toEqual(expect.any(String));
  });
});
