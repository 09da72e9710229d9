import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DEMO_KEY_FILE, runCli, type CliIo } from '../src/cli/commands.js';
import { createLogger } from '../src/runtime/logger.js';
import { call } from './helpers.js';
import { browse, CookieJar } from './browser.js';

const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function demo(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'odoo-sync-demo-'));
  dirs.push(cwd);
  const out: string[] = [];
  const io: CliIo = { env: { PORT: '0', ...env }, cwd, stdout: (t) => out.push(t), stderr: () => {} };
  const outcome = await runCli(['demo'], io, { logger: createLogger({ level: 'silent' }), processMetrics: false, simulator: { seed: 3, counts: { partners: 40, opportunities: 20, invoices: 20, employees: 6, users: 4 } } });
  if (!('running' in outcome)) throw new Error(`demo exited with ${outcome.code}`);
  closers.push(() => outcome.running.close());
  const text = out.join('');
  return { cwd, text, running: outcome.running, key: /Admin key:\s+(\S+)/.exec(text)?.[1], url: /API:\s+(\S+)/.exec(text)?.[1] };
}

it('demo: simulator + SQLite under ./.odoo-sync, first sync done, prints URL, dashboard URL and a working admin key', async () => {
  const { cwd, text, key, url } = await demo({});
  expect(text).toContain('SIMULATOR');
  expect(text).toMatch(/Dashboard:\s+http:\/\/127\.0\.0\.1:\d+\/dashboard/);
  expect(text).toContain('First sync success');
  expect(key).toMatch(/^osk_/);
  expect(existsSync(join(cwd, '.odoo-sync', 'demo.db'))).toBe(true);
  // Users, sessions and token caches live there: private to the account that runs the server.
  expect(statSync(join(cwd, '.odoo-sync')).mode & 0o777).toBe(0o700);
  for (const file of ['demo.db', 'demo.db-wal', 'demo.db-shm']) expect([file, statSync(join(cwd, '.odoo-sync', file)).mode & 0o777]).toEqual([file, 0o600]);
  expect(statSync(join(cwd, '.odoo-sync', DEMO_KEY_FILE)).mode & 0o777).toBe(0o600);
  expect(readFileSync(join(cwd, '.odoo-sync', DEMO_KEY_FILE), 'utf8').trim()).toBe(key);
  const status = await call(`${url}/api/sync/status`, { key: key! });
  expect(status.status).toBe(200);
  expect(status.json.employeesSynced).toBeGreaterThan(0);
  expect(status.json.entities.every((e: { lastRunStatus: string }) => e.lastRunStatus === 'success')).toBe(true);
});

it('demo honours ODOO_SYNC_DATA_DIR, HOST and ODOO_SYNC_BOOTSTRAP_ADMIN_KEY', async () => {
  const data = mkdtempSync(join(tmpdir(), 'odoo-sync-demo-data-'));
  dirs.push(data);
  const { key, url, cwd } = await demo({ ODOO_SYNC_DATA_DIR: data, HOST: '127.0.0.1', ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: 'my-own-demo-admin-key-123456' });
  expect(key).toBe('my-own-demo-admin-key-123456');
  expect(existsSync(join(data, 'demo.db'))).toBe(true);
  expect(existsSync(join(data, DEMO_KEY_FILE))).toBe(false);
  expect(existsSync(join(cwd, '.odoo-sync'))).toBe(false);
  expect((await call(`${url}/api/sync/settings`, { key: key! })).status).toBe(200);
});

it('demo signs people in without a tenant: a Microsoft 365 stand-in lists demo people drawn from the simulated Odoo', async () => {
  const { text, url, running } = await demo({});
  // It prints how to sign in, and who can.
  expect(text).toContain('Sign in with Microsoft');
  expect(text).toContain('Admin: approves people');
  expect(text).toContain('an alias Microsoft 365 knows');
  expect(text).toContain('Not in Odoo');
  expect(text).toContain('waits until an admin approves');
  const jar = new CookieJar();
  // A visitor who is not signed in is sent to the sign-in page, which leads to Microsoft (the stand-in).
  const dashboard = await browse(jar, `${url}/dashboard`);
  expect(dashboard.status).toBe(303);
  expect(dashboard.headers.get('location')).toBe('/signin?returnTo=%2Fdashboard');
  const signInPage = await browse(jar, `${url}/signin?returnTo=%2Fdashboard`);
  expect(signInPage.text).toContain('Sign in with Microsoft');
  const login = await browse(jar, `${url}/api/auth/login?returnTo=%2Fdashboard`);
  const picker = login.headers.get('location') ?? '';
  expect(picker).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\/oauth2\/v2\.0\/authorize\?/);
  // The stand-in's page lists the demo people; choosing the alias person signs them in.
  const page = await browse(new CookieJar(), picker);
  expect(page.status).toBe(200);
  const links = [...page.text.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
  const names = [...page.text.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
  expect(names.length).toBe(6);
  const aliasLink = links.find((l) => l.includes(encodeURIComponent('@m365.demo.example')) && !l.includes('nora'))!;
  const back = await browse(new CookieJar(), new URL(aliasLink, picker).toString());
  expect(back.status).toBe(302);
  const callback = new URL(back.headers.get('location') ?? '');
  const signedIn = await browse(jar, `${url}${callback.pathname}${callback.search}`);
  expect(signedIn.status).toBe(302);
  expect(signedIn.headers.get('location')).toBe('/dashboard');
  // Approved ahead and linked to Odoo by the alias Microsoft 365 vouches for.
  const me = await browse(jar, `${url}/api/auth/me`);
  expect(me.json.user).toMatchObject({ status: 'approved', role: 'user' });
  expect(me.json.user.odooLink).toMatchObject({ strategy: 'email' });
  expect((await browse(jar, `${url}/dashboard`)).status).toBe(200);
  expect(running.ms365).not.toBeNull();
});
