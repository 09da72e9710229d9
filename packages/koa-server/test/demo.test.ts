import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DEMO_KEY_FILE, runCli, type CliIo } from '../src/cli/commands.js';
import { createLogger } from '../src/runtime/logger.js';
import { call } from './helpers.js';

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
