/**
 * Who a signed-in person is (their Microsoft 365 tenant id + object id, never the `email`
 * claim), and how long their Microsoft 365 tokens live — over HTTP, with FakeEntraId, a real
 * SQLite file read raw, and an injected clock.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock, MemorySource, Reconciler, SyncScheduler } from '@odoo-sync/core';
import { ConfigError } from '@odoo-sync/core/errors';
import { generateTokenKey, userCacheKey } from '@odoo-sync/ms365-auth';
import { FakeEntraId } from '@odoo-sync/ms365-auth/testing';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/http/app.js';
import { formatConfigError, loadConfig } from '../src/runtime/config.js';
import { createLogger } from '../src/runtime/logger.js';
import { createSignIn, type SignInRuntime } from '../src/auth/sign-in.js';
import { SESSION_COOKIE } from '../src/auth/session.js';
import { browse, CookieJar, signIn } from './browser.js';
import { seedSource } from './helpers.js';

const COOKIE_KEY = 'test-session-secret-0123456789-abcdefghij';
const START = new Date('2026-03-02T08:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface World {
  url: string;
  entra: FakeEntraId;
  store: SqliteStore;
  clock: ManualClock;
  runtime: SignInRuntime;
  /** Reads the SQLite file on a connection of its own. */
  raw<T>(sql: string, ...params: unknown[]): T | undefined;
  /** Writes the SQLite file behind the server's back (an operator with the sqlite3 shell). */
  rawWrite(sql: string, ...params: unknown[]): void;
  /** Moves the injected clock, MSAL's `Date` and FakeEntraId together. */
  advance(ms: number): Promise<void>;
}

/** The server as `odoo-sync` composes it from its environment, on a SQLite file, pointed at a FakeEntraId. */
async function world(env: (entra: FakeEntraId) => Record<string, string> = () => ({})): Promise<World> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  cleanups.push(() => void vi.useRealTimers());
  const clock = new ManualClock(START);
  const entra = await FakeEntraId.start();
  cleanups.push(() => entra.close());
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-identity-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'odoo-sync.db');
  const store = new SqliteStore({ path });
  cleanups.push(() => store.close());
  const config = loadConfig(
    {
      MS365_CLIENT_ID: entra.clientId,
      MS365_CLIENT_SECRET: entra.clientSecret,
      MS365_TENANT_ID: entra.tenantId,
      MS365_REDIRECT_URI: entra.redirectUris[0],
      TOKEN_KEYS: `k1:${generateTokenKey()}`,
      SESSION_SECRET: COOKIE_KEY,
      ...env(entra),
    },
    { envFile: false },
  );
  const { clientId: _c, clientSecret: _s, tenantId: _t, ...pointAtFake } = entra.refresherOptions();
  const logger = createLogger({ level: 'silent' });
  const runtime = createSignIn(config, store, { clock, logger, background: false, ms365: { ...pointAtFake, retry: false } });
  if (runtime === null) throw new Error('sign-in not configured');
  const source = new MemorySource();
  seedSource(source);
  const reconciler = new Reconciler({ source, store, retry: false });
  const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store, retry: false });
  const app = createApp({ store, scheduler, reconciler, logger, clock, signIn: runtime.options });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  cleanups.push(async () => {
    await scheduler.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const withRaw = <T>(readonly: boolean, use: (db: Database.Database) => T): T => {
    const db = new Database(path, { readonly, fileMustExist: true });
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    entra,
    store,
    clock,
    runtime,
    raw: (sql, ...params) => withRaw(true, (db) => db.prepare(sql).get(...params) as never),
    rawWrite: (sql, ...params) => void withRaw(false, (db) => db.prepare(sql).run(...params)),
    async advance(ms) {
      vi.setSystemTime(clock.now().getTime() + ms);
      await clock.advance(ms);
    },
  };
}

/** Signs `user` in with a fresh browser; returns the browser and who the server says they are. */
async function signedIn(w: World, user: Parameters<typeof signIn>[3]) {
  const jar = new CookieJar();
  const { callback } = await signIn(w, w, jar, user);
  const me = callback.status === 302 ? await browse(jar, `${w.url}/api/auth/me`) : null;
  return { jar, callback, me: me?.json?.user as { id: string; email: string; role: string; status: string } | undefined };
}

const cacheRow = (w: World, userId: string) =>
  w.raw<{ key: string; expires_at: string | null; version: number }>('SELECT key, expires_at, version FROM tokens WHERE key = ?', userCacheKey(userId));

describe('a person is their Microsoft 365 identity (tenant id + object id), not their e-mail claim', () => {
  it('another account whose e-mail claim is the admin\'s address is refused and never becomes the admin', { timeout: 60_000 }, async () => {
    const w = await world();
    const ana = w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana Admin' });
    const admin = await signedIn(w, ana);
    expect(admin.me).toMatchObject({ email: 'ana@contoso.test', role: 'admin', status: 'approved' });
    const cacheBefore = cacheRow(w, admin.me!.id);

    const mallory = w.entra.addUser({ upn: 'mallory@contoso.test', name: 'Mallory', email: 'Ana@Contoso.test' });
    const attempt = await signedIn(w, mallory);
    expect(attempt.callback.status).toBe(409);
    expect(attempt.callback.json.error.code).toBe('identity_conflict');
    expect(attempt.jar.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await browse(attempt.jar, `${w.url}/api/auth/me`)).status).toBe(401);
    // The admin is untouched: not renamed, no other address, Ana's tokens not replaced by Mallory's.
    expect(await w.store.getUser(admin.me!.id)).toMatchObject({ name: 'Ana Admin', otherEmails: [], identity: { objectId: ana.oid } });
    expect(cacheRow(w, admin.me!.id)?.version).toBe(cacheBefore?.version);
    expect(await w.store.countUsers()).toBe(1);
    // Ana still signs in as herself.
    expect((await signedIn(w, ana)).me).toMatchObject({ id: admin.me!.id, role: 'admin' });
  });

  it('the same account with a new e-mail address is the same user, with the address updated', { timeout: 60_000 }, async () => {
    const w = await world();
    const ana = w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' });
    const before = await signedIn(w, ana);
    w.entra.addUser({ oid: ana.oid, upn: 'ana.souza@contoso.test', name: 'Ana Souza', email: 'ana.souza@contoso.test' });
    const after = await signedIn(w, ana);
    expect(after.me).toMatchObject({ id: before.me!.id, email: 'ana.souza@contoso.test', role: 'admin', status: 'approved' });
    expect(await w.store.countUsers()).toBe(1);
    expect(w.raw('SELECT email_key FROM users WHERE id = ?', before.me!.id)).toEqual({ email_key: 'ana.souza@contoso.test' });
  });

  it('refuses an account of another tenant (single-tenant configuration)', { timeout: 60_000 }, async () => {
    const w = await world();
    const foreign = w.entra.addUser({ upn: 'ana@fabrikam.test', name: 'Ana', tenantId: randomUUID() });
    const attempt = await signedIn(w, foreign);
    expect(attempt.callback.status).toBe(401);
    expect(attempt.callback.json.error.code).toBe('unauthenticated');
    expect(await w.store.countUsers()).toBe(0);
    expect(w.raw("SELECT COUNT(*) AS n FROM tokens WHERE key LIKE 'ms365:user:%'")).toEqual({ n: 0 });
  });

  it('multi-tenant: accepts only MS365_ALLOWED_TENANTS, and keys each person on their tenant', { timeout: 60_000 }, async () => {
    const partner = randomUUID();
    const w = await world((entra) => ({ MS365_TENANT_ID: 'organizations', MS365_ALLOWED_TENANTS: `${entra.tenantId}, ${partner.toUpperCase()}` }));
    expect((await signedIn(w, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }))).me).toMatchObject({ role: 'admin' });
    const pat = w.entra.addUser({ upn: 'pat@partner.test', name: 'Pat', tenantId: partner });
    const patIn = await signedIn(w, pat);
    expect(patIn.me).toMatchObject({ email: 'pat@partner.test', status: 'pending' });
    expect((await w.store.getUserByIdentity({ tenantId: partner, objectId: pat.oid }))?.id).toBe(patIn.me!.id);
    const stranger = await signedIn(w, w.entra.addUser({ upn: 'eve@evil.test', name: 'Eve', tenantId: randomUUID() }));
    expect(stranger.callback.status).toBe(401);
    expect(await w.store.countUsers()).toBe(2);
  });

  it('a user recorded before identities is claimed by a member whose sign-in name is their address, never by an e-mail claim or a guest', { timeout: 60_000 }, async () => {
    const w = await world();
    await w.store.createUser({ id: 'legacy-boss', email: 'Boss@Contoso.test', name: 'Boss', role: 'admin', status: 'approved' }, START);
    // Hijack attempts: a member whose e-mail claim is the boss's address; a guest whose sign-in name is.
    const mallory = w.entra.addUser({ upn: 'mallory@contoso.test', name: 'Mallory', email: 'boss@contoso.test' });
    const guest = w.entra.addUser({ upn: 'boss@contoso.test', name: 'Guest', homeTenantId: randomUUID() });
    for (const attacker of [mallory, guest]) {
      const attempt = await signedIn(w, attacker);
      expect(attempt.callback.status).toBe(409);
      expect(attempt.callback.json.error.code).toBe('identity_conflict');
    }
    expect(await w.store.getUser('legacy-boss')).toMatchObject({ identity: null, name: 'Boss' });
    expect(w.raw("SELECT COUNT(*) AS n FROM tokens WHERE key LIKE 'ms365:user:%'")).toEqual({ n: 0 });

    // The boss: a member of the directory whose UPN is the stored address.
    const boss = w.entra.addUser({ upn: 'boss@contoso.test', name: 'The Boss' });
    expect((await signedIn(w, boss)).me).toMatchObject({ id: 'legacy-boss', role: 'admin', status: 'approved' });
    expect(w.raw('SELECT identity_tenant, identity_object FROM users WHERE id = ?', 'legacy-boss')).toEqual({
      identity_tenant: w.entra.tenantId,
      identity_object: boss.oid,
    });
    // Claimed once and for all: the guest is still refused, the boss is known.
    expect((await signedIn(w, guest)).callback.status).toBe(409);
    expect((await signedIn(w, boss)).me).toMatchObject({ id: 'legacy-boss' });
    expect(await w.store.countUsers()).toBe(1);
  });
});

describe('Microsoft 365 tokens live as long as the person may use them', () => {
  it('rejected: their tokens are deleted at once and not stored again; removed: deleted by the next pre-refresh', { timeout: 60_000 }, async () => {
    const w = await world(() => ({ AUTO_APPROVE_DOMAINS: 'contoso.test' }));
    const ana = await signedIn(w, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }));
    const bobUser = w.entra.addUser({ upn: 'bob@contoso.test', name: 'Bob' });
    const bob = await signedIn(w, bobUser);
    const carl = await signedIn(w, w.entra.addUser({ upn: 'carl@contoso.test', name: 'Carl' }));
    expect(bob.me).toMatchObject({ status: 'approved' });
    expect(cacheRow(w, bob.me!.id)).toBeDefined();

    const rejected = await browse(ana.jar, `${w.url}/api/admin/users/${bob.me!.id}/reject`, { method: 'POST', headers: { Origin: w.url } });
    expect(rejected.status).toBe(200);
    expect(cacheRow(w, bob.me!.id)).toBeUndefined();
    // Signing in again shows them they are rejected, and stores no tokens.
    const again = await signedIn(w, bobUser);
    expect(again.me).toMatchObject({ id: bob.me!.id, status: 'rejected' });
    expect(cacheRow(w, bob.me!.id)).toBeUndefined();

    // Carl is removed from the database by an operator.
    w.rawWrite('DELETE FROM users WHERE id = ?', carl.me!.id);
    await w.advance(55 * MINUTE);
    expect(await w.runtime.refresher!.refreshExpiring()).toMatchObject({ refreshed: 1, signedOut: 1 });
    expect(cacheRow(w, carl.me!.id)).toBeUndefined();
    expect(cacheRow(w, ana.me!.id)).toBeDefined();
    expect(w.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').length).toBe(1);
  });

  it('refreshed only while a session is live; deleted after MS365_IDLE_SIGN_OUT_DAYS (90) without use', { timeout: 60_000 }, async () => {
    const w = await world();
    const ana = await signedIn(w, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana' }));
    const refreshes = () => w.entra.countTokenRequests('refresh_token');
    await w.advance(55 * MINUTE);
    expect(await w.runtime.refresher!.refreshExpiring()).toMatchObject({ refreshed: 1 });

    // Day 3: Ana uses the app (her session is renewed), and the job keeps her signed in.
    await w.advance(3 * DAY);
    expect((await browse(ana.jar, `${w.url}/api/auth/me`)).status).toBe(200);
    expect(await w.runtime.refresher!.refreshExpiring()).toMatchObject({ refreshed: 1, idle: 0 });
    expect(refreshes()).toBe(2);

    // Day 11: her last session ended (7 days without use): not refreshed any more, kept for now.
    await w.advance(8 * DAY);
    expect(await w.runtime.refresher!.refreshExpiring()).toMatchObject({ refreshed: 0, idle: 1 });
    expect(refreshes()).toBe(2);
    expect(cacheRow(w, ana.me!.id)).toMatchObject({ expires_at: null });
    expect(await w.runtime.sweep()).toMatchObject({ idle: 0 });
    expect(cacheRow(w, ana.me!.id)).toBeDefined();

    // 91 days after her last use (day 3): her tokens are deleted, and nothing was refreshed meanwhile.
    await w.advance(83 * DAY);
    expect(await w.runtime.refresher!.refreshExpiring()).toMatchObject({ refreshed: 0, idle: 0, signedOut: 0 });
    expect(await w.runtime.sweep()).toMatchObject({ idle: 1 });
    expect(cacheRow(w, ana.me!.id)).toBeUndefined();
    expect(w.raw("SELECT COUNT(*) AS n FROM tokens WHERE key LIKE 'ms365:user:%' OR key LIKE 'session-seen:%'")).toEqual({ n: 0 });
    expect(refreshes()).toBe(2);
    expect((await browse(ana.jar, `${w.url}/api/auth/me`)).status).toBe(401);
  });
});

describe('configuration of tenants and idle sign-out', () => {
  const base = {
    MS365_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    MS365_CLIENT_SECRET: 'client-secret-value-xyz',
    MS365_REDIRECT_URI: 'https://crm.acme.com/api/auth/callback',
    TOKEN_KEYS: `k1:${generateTokenKey()}`,
    SESSION_SECRET: COOKIE_KEY,
  };
  const tenant = '66666666-7777-8888-9999-000000000000';
  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env, { envFile: false });
    } catch (err) {
      if (err instanceof ConfigError) return formatConfigError(err).split('\n').slice(1);
      throw err;
    }
    return [];
  };

  it('refuses to start multi-tenant without MS365_ALLOWED_TENANTS, with one line saying so', () => {
    const lines = problems({ ...base, MS365_TENANT_ID: 'organizations' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^MS365_ALLOWED_TENANTS: is required when MS365_TENANT_ID is organizations/);
    expect(problems({ ...base, MS365_TENANT_ID: 'common', MS365_ALLOWED_TENANTS: 'contoso.com' })[0]).toMatch(/^MS365_ALLOWED_TENANTS: must be/);
    expect(problems({ ...base, MS365_TENANT_ID: tenant, MS365_ALLOWED_TENANTS: randomUUID() })[0]).toMatch(/^MS365_ALLOWED_TENANTS: may only name/);
    expect(problems({ ...base, MS365_TENANT_ID: tenant, MS365_IDLE_SIGN_OUT_DAYS: '0' })[0]).toMatch(/^MS365_IDLE_SIGN_OUT_DAYS:/);
  });

  it('reads the allowed tenants and the idle days (default 90)', () => {
    const other = randomUUID();
    expect(loadConfig({ ...base, MS365_TENANT_ID: 'organizations', MS365_ALLOWED_TENANTS: `${tenant}, ${other.toUpperCase()}`, MS365_IDLE_SIGN_OUT_DAYS: '30' }, { envFile: false }).ms365).toMatchObject({
      tenantId: 'organizations',
      allowedTenants: [tenant, other],
      idleSignOutDays: 30,
    });
    expect(loadConfig({ ...base, MS365_TENANT_ID: tenant }, { envFile: false }).ms365).toMatchObject({ allowedTenants: [], idleSignOutDays: 90 });
  });
});
