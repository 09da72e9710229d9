import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySource, MemoryStore, Reconciler, SyncScheduler } from '@odoo-sync/core';
import { generateTokenKey, Ms365TokenRefresher } from '@odoo-sync/ms365-auth';
import { FakeEntraId } from '@odoo-sync/ms365-auth/testing';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { loadConfig } from '../src/runtime/config.js';
import { employeeNumbersFromOdoo } from '../src/linking/employee-numbers.js';
import { createLogger } from '../src/runtime/logger.js';
import { SessionManager } from '../src/auth/session.js';
import { startServer } from '../src/runtime/composition.js';
import { browse, CookieJar, signIn } from './browser.js';
import { seedSource } from './helpers.js';

const COOKIE_KEY = 'test-session-secret-0123456789-abcdefghij';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/**
 * A server over a store holding a full sync of the seeded Odoo data (users 2 Mitchell Admin
 * admin@example.com and 6 Marc Demo marc@example.com, employees 1 and 2), signing in with a
 * FakeEntraId whose Graph /me the server reads. Employee 2 holds `E-0002` in
 * `identification_id`, which the server reads when `employeeNumbers` is on.
 */
async function world(options: { employeeNumbers?: boolean } = {}) {
  const entra = await FakeEntraId.start();
  cleanups.push(() => entra.close());
  const store = new MemoryStore();
  const source = new MemorySource();
  seedSource(source);
  source.write('hr.employee', { id: 2, name: 'Marc Demo', work_email: 'marc@example.com', user_id: [6, 'Marc Demo'], department_id: [2, 'Sales'], job_title: 'Salesman', identification_id: 'E-0002', active: true });
  const reconciler = new Reconciler({ source, store, retry: false });
  expect((await reconciler.run({ mode: 'full', trigger: 'manual' })).status).toBe('success');
  const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store, retry: false });
  const refresher = new Ms365TokenRefresher({ ...entra.refresherOptions(), redirectUri: entra.redirectUris[0] as string, store, keyring: `k1:${generateTokenKey()}`, retry: false });
  const app = createApp({
    store,
    scheduler,
    reconciler,
    signIn: { sessions: new SessionManager({ store }), cookieKeys: [COOKIE_KEY], ms365: refresher, autoApproveDomains: ['contoso.test', 'example.com'] },
    ...(options.employeeNumbers ? { employeeNumbers: employeeNumbersFromOdoo(source, 'identification_id') } : {}),
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  cleanups.push(async () => {
    await scheduler.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const replica = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  // An admin first, so the people of the tests are ordinary auto-approved users.
  const boss = new CookieJar();
  await signIn({ entra }, replica, boss, entra.addUser({ upn: 'boss@contoso.test', name: 'The Boss' }));
  return { entra, store, replica, boss };
}

async function me(url: string, jar: CookieJar) {
  return (await browse(jar, `${url}/api/auth/me`)).json.user;
}

describe('Microsoft 365 evidence for linking (Graph /me at sign-in)', () => {
  it('links a person by an address only Graph vouches for (their mailbox alias), and keeps it for later', async () => {
    const w = await world();
    const jar = new CookieJar();
    const marc = w.entra.addUser({ upn: 'marc.demo@contoso.test', name: 'Marc Demo', proxyAddresses: ['SMTP:marc.demo@contoso.test', 'smtp:Marc@Example.com'] });
    const { callback } = await signIn(w, w.replica, jar, marc);
    expect(callback.status).toBe(302);
    expect(await me(w.replica.url, jar)).toMatchObject({
      email: 'marc.demo@contoso.test',
      otherEmails: ['marc@example.com'],
      odooLink: { odooUserId: 6, employeeId: 2, strategy: 'email' },
    });
    expect(w.entra.graph.requests.at(-1)).toMatchObject({ oid: marc.oid, status: 200 });
  });

  it('an admin approving a pending person links them by the alias read again from Graph with their session', async () => {
    const w = await world();
    const jar = new CookieJar();
    const marc = w.entra.addUser({ upn: 'marc@partner.test', name: 'Marc Demo', proxyAddresses: ['SMTP:marc@partner.test'] });
    await signIn(w, w.replica, jar, marc);
    const pending = await me(w.replica.url, jar);
    expect(pending).toMatchObject({ status: 'pending', otherEmails: [], odooLink: null });
    // Exchange adds Odoo's address to the mailbox meanwhile.
    w.entra.addUser({ ...marc, proxyAddresses: ['SMTP:marc@partner.test', 'smtp:marc@example.com'] });
    const approved = await browse(w.boss, `${w.replica.url}/api/admin/users/${pending.id}/approve`, { method: 'POST', headers: { origin: w.replica.url } });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', otherEmails: ['marc@example.com'], odooLink: { odooUserId: 6, strategy: 'email' } });
  });

  it('without the alias, the same person is not linked (Odoo knows another mailbox for the name)', async () => {
    const w = await world();
    const jar = new CookieJar();
    await signIn(w, w.replica, jar, w.entra.addUser({ upn: 'marc.demo@contoso.test', name: 'Marc Demo' }));
    expect(await me(w.replica.url, jar)).toMatchObject({ otherEmails: [], odooLink: null });
  });

  it('links by Microsoft 365 employee id when LINK_EMPLOYEE_ID_FIELD names the Odoo field that holds it', async () => {
    const w = await world({ employeeNumbers: true });
    const jar = new CookieJar();
    await signIn(w, w.replica, jar, w.entra.addUser({ upn: 'm.d@contoso.test', name: 'M. D.', employeeId: 'E-0002' }));
    expect(await me(w.replica.url, jar)).toMatchObject({ odooLink: { odooUserId: 6, employeeId: 2, strategy: 'employee_number' } });
    const relinked = await browse(jar, `${w.replica.url}/api/auth/relink-odoo`, { method: 'POST', headers: { origin: w.replica.url } });
    expect(relinked.json).toMatchObject({ message: 'Linked to Odoo by employee number (E-0002).', evidence: { matchedOn: 'employee_number' } });
  });

  it('an alias that Odoo gives another person does not link: refused with the reason and them as the candidate', async () => {
    const w = await world();
    const jar = new CookieJar();
    await signIn(w, w.replica, jar, w.entra.addUser({ upn: 'ana@contoso.test', name: 'Ana Souza', proxyAddresses: ['SMTP:ana@contoso.test', 'smtp:admin@example.com'] }));
    expect(await me(w.replica.url, jar)).toMatchObject({ otherEmails: ['admin@example.com'], odooLink: null });
    const res = await browse(jar, `${w.replica.url}/api/auth/relink-odoo`, { method: 'POST', headers: { origin: w.replica.url } });
    expect(res.status).toBe(409);
    expect(res.json.error.details).toMatchObject({ matchCode: 'unverified_alias', suggestions: [{ odooUserId: 2, name: 'Mitchell Admin' }] });
    expect(res.json.error.message).toContain('Mitchell Admin');
  });

  it('Graph down never stops a sign-in: the person is signed in (linked by e-mail) and relinks by alias once Graph is back', async () => {
    const w = await world();
    w.entra.graph.fail('unavailable');
    const byEmail = new CookieJar();
    const { callback } = await signIn(w, w.replica, byEmail, w.entra.addUser({ upn: 'marc@example.com', name: 'Marc Demo' }));
    expect(callback.status).toBe(302);
    expect(await me(w.replica.url, byEmail)).toMatchObject({ status: 'approved', odooLink: { odooUserId: 6, strategy: 'email' } });

    const jar = new CookieJar();
    const mitchell = w.entra.addUser({ upn: 'mitchell@contoso.test', name: 'Mitchell Admin', proxyAddresses: ['SMTP:mitchell@contoso.test', 'smtp:admin@example.com'] });
    expect((await signIn(w, w.replica, jar, mitchell)).callback.status).toBe(302);
    expect(await me(w.replica.url, jar)).toMatchObject({ status: 'approved', otherEmails: [], odooLink: null });
    expect(w.entra.graph.requests.map((r) => r.status)).toEqual([200, 503, 503]);

    w.entra.graph.fail(null);
    const res = await browse(jar, `${w.replica.url}/api/auth/relink-odoo`, { method: 'POST', headers: { origin: w.replica.url } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ odooLink: { odooUserId: 2, employeeId: 1, strategy: 'email' }, user: { otherEmails: ['admin@example.com'] } });
  });
});

describe('the server from its configuration', () => {
  it('counts Graph profile reads in /metrics and links by employee id with LINK_EMPLOYEE_ID_FIELD', async () => {
    const entra = await FakeEntraId.start();
    cleanups.push(() => entra.close());
    const source = new MemorySource();
    seedSource(source);
    source.write('hr.employee', { id: 2, name: 'Marc Demo', work_email: 'marc@example.com', user_id: [6, 'Marc Demo'], department_id: [2, 'Sales'], job_title: 'Salesman', identification_id: 'E-0002', active: true });
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
        AUTO_APPROVE_DOMAINS: 'contoso.test',
        LINK_EMPLOYEE_ID_FIELD: 'identification_id',
      },
      { envFile: false },
    );
    const { clientId: _c, clientSecret: _s, tenantId: _t, ...pointAtFake } = entra.refresherOptions();
    const running = await startServer(config, {
      store: new MemoryStore(),
      source,
      logger: createLogger({ level: 'silent' }),
      processMetrics: false,
      scheduler: { runOnStart: false },
      ms365: { ...pointAtFake, retry: false },
    });
    cleanups.push(() => running.close());
    const synced = await running.scheduler.startRun({ mode: 'full', trigger: 'manual', force: false });
    expect((await synced.done).status).toBe('success');

    entra.graph.fail('throttled');
    await signIn({ entra }, { url: running.url }, new CookieJar(), entra.addUser({ upn: 'boss@contoso.test', name: 'The Boss' }));
    entra.graph.fail(null);
    const jar = new CookieJar();
    await signIn({ entra }, { url: running.url }, jar, entra.addUser({ upn: 'm.d@contoso.test', name: 'M. D.', employeeId: 'E-0002' }));
    expect(await me(running.url, jar)).toMatchObject({ odooLink: { odooUserId: 6, employeeId: 2, strategy: 'employee_number' } });

    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toContain('odoo_sync_ms365_profile_reads_total{outcome="failed",reason="throttled"} 1');
    expect(metrics).toContain('odoo_sync_ms365_profile_reads_total{outcome="read",reason=""} 1');
  });
});

describe('LINK_EMPLOYEE_ID_FIELD at startup', () => {
  it('refuses to start when Odoo says hr.employee has no such field, and starts with one it has', async () => {
    const sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 3, counts: { partners: 10, opportunities: 5, invoices: 0, employees: 3, users: 3 } });
    cleanups.push(() => sim.close());
    const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-employee-id-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const configWith = (field: string) =>
      loadConfig(
        {
          ODOO_URL: sim.url,
          ODOO_DB: sim.db,
          ODOO_USERNAME: sim.credentials.username,
          ODOO_API_KEY: sim.credentials.apiKey,
          STORE_URL: `sqlite:${join(dir, `${field}.db`)}`,
          PORT: '0',
          LOG_LEVEL: 'silent',
          LINK_EMPLOYEE_ID_FIELD: field,
        },
        { envFile: false, cwd: dir },
      );
    const options = { logger: createLogger({ level: 'silent' }), processMetrics: false, odooClient: { retries: 0 }, scheduler: { runOnStart: false } };
    await expect(startServer(configWith('no_such_field'), options)).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('LINK_EMPLOYEE_ID_FIELD is no_such_field'),
      issues: [{ path: 'LINK_EMPLOYEE_ID_FIELD' }],
    });
    const running = await startServer(configWith('work_phone'), options);
    cleanups.push(() => running.close());
    expect(running.url).toMatch(/^http:/);
    let refused: unknown;
    try {
      loadConfig({ LINK_EMPLOYEE_ID_FIELD: 'Bad Field!' }, { envFile: false, cwd: dir });
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'config_invalid', issues: [{ path: 'LINK_EMPLOYEE_ID_FIELD' }] });
  });
});
