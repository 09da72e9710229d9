import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySource } from '@odoo-sync/core';
import { OdooTransportError } from '@odoo-sync/core/errors';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/auth/api-keys.js';
import { EXIT, runCli, type CliIo } from '../src/cli/commands.js';
import { createLogger } from '../src/runtime/logger.js';
import { call, seedSource } from './helpers.js';

const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-cli-'));
  dirs.push(dir);
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: { STORE_URL: `sqlite:${join(dir, 'sync.db')}`, LOG_LEVEL: 'silent', PORT: '0', ...env },
    cwd: dir,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  };
  return { dir, io, out, err, dbPath: join(dir, 'sync.db') };
}

function source(): MemorySource {
  const s = new MemorySource();
  seedSource(s);
  return s;
}

describe('odoo-sync CLI', () => {
  it('apikey create prints a key once and stores only its hash', async () => {
    const { io, out, err, dbPath } = setup();
    const outcome = await runCli(['apikey', 'create', '--email', 'ops@example.com', '--role', 'admin'], io);
    expect(outcome).toEqual({ code: EXIT.ok });
    const key = out.join('').trim();
    expect(key).toMatch(/^osk_[A-Za-z0-9_-]{40,}$/);
    expect(err.join('')).toContain('ops@example.com (admin, new user)');
    const store = new SqliteStore({ path: dbPath });
    try {
      const record = await store.findApiKeyByHash(hashApiKey(key));
      expect(record).not.toBeNull();
      expect((await store.getUser(record!.userId))?.role).toBe('admin');
    } finally {
      await store.close();
    }
    const bytes = ['', '-wal'].map((suffix) => (existsSync(dbPath + suffix) ? readFileSync(dbPath + suffix).toString('latin1') : '')).join('');
    expect(bytes).toContain(hashApiKey(key));
    expect(bytes).not.toContain(key);
    const again = setup();
    again.io.env = io.env;
    expect(await runCli(['apikey', 'create', '--email', 'ops@example.com', '--role', 'user'], again.io)).toEqual({ code: EXIT.failure });
    expect(again.err.join('')).toContain('input_invalid');
  });

  it('rejects wrong usage with exit 2', async () => {
    const { io } = setup();
    expect(await runCli(['apikey', 'create', '--email', 'x@example.com', '--role', 'root'], io)).toEqual({ code: EXIT.usage });
    expect(await runCli(['apikey', 'create', '--role', 'admin'], io)).toEqual({ code: EXIT.usage });
    expect(await runCli(['sync'], io)).toEqual({ code: EXIT.usage });
    expect(await runCli(['sync', '--once', '--entity', 'planet'], io)).toEqual({ code: EXIT.usage });
    expect(await runCli(['sync', '--once', '--bogus'], io)).toEqual({ code: EXIT.usage });
    expect(await runCli(['launch'], io)).toEqual({ code: EXIT.usage });
  });

  it('exits 78 with one line per bad variable, never printing secrets', async () => {
    const { io, err } = setup({ PORT: 'eighty', ODOO_URL: 'https://acme.odoo.com', ODOO_API_KEY: 'very-secret-odoo-key' });
    expect(await runCli(['serve'], io)).toEqual({ code: EXIT.config });
    const text = err.join('');
    expect(text).toContain('PORT: must be a whole number from 0 to 65535 (example: PORT=3000)');
    expect(text).toContain('ODOO_DB: is required');
    expect(text).not.toContain('very-secret-odoo-key');
  });

  it('sync --once runs one sync into the store and exits 0, or 1 when it failed', async () => {
    const { io, out, dbPath } = setup();
    const src = source();
    expect(await runCli(['sync', '--once', '--full'], io, { source: src })).toEqual({ code: EXIT.ok });
    expect(out.join('')).toMatch(/contact\s+success\s+fetched=2 inserted=2/);
    const store = new SqliteStore({ path: dbPath });
    expect(await store.countRecords('opportunity')).toEqual({ active: 2, archived: 0, deleted: 0 });
    await store.close();

    const failing = setup();
    failing.io.env = io.env;
    src.failAfter(0, new OdooTransportError('Odoo is down (test).', { retryable: false }));
    expect(await runCli(['sync', '--once', '--entity', 'contact'], failing.io, { source: src })).toEqual({ code: EXIT.failure });
    expect(failing.out.join('')).toContain('odoo_transport_failed');
  });

  it('sync --once says whether each entity swept for deletions; the next process starts from the sweep the log records', async () => {
    const { io, out } = setup();
    const src = source();
    expect(await runCli(['sync', '--once', '--full'], io, { source: src })).toEqual({ code: EXIT.ok });
    expect(out.join('')).toMatch(/contact\s+success\s+.* sweep=ran\(full_run\)/);
    out.length = 0;
    expect(await runCli(['sync', '--once'], io, { source: src })).toEqual({ code: EXIT.ok });
    expect(out.join('')).toMatch(/contact\s+success\s+.* sweep=skipped\(counts_equal\)/);
    out.length = 0;
    io.env = { ...io.env, SYNC_DELETION_SWEEP_EVERY_HOURS: '0' };
    expect(await runCli(['sync', '--once'], io, { source: src })).toEqual({ code: EXIT.ok });
    expect(out.join('')).toMatch(/contact\s+success\s+.* sweep=ran\(sweep_due\)/);
  });

  it('serve starts the server from the configuration and shuts down gracefully', async () => {
    const { io } = setup({ ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: 'bootstrap-admin-key-0123456789' });
    const outcome = await runCli(['serve'], io, { source: source(), logger: createLogger({ level: 'silent' }), processMetrics: false });
    if (!('running' in outcome)) throw new Error(`serve exited with ${outcome.code}`);
    const { running } = outcome;
    closers.push(() => running.close());
    expect((await call(`${running.url}/healthz`)).status).toBe(200);
    const status = await call(`${running.url}/api/sync/status`, { key: 'bootstrap-admin-key-0123456789' });
    expect(status.status).toBe(200);
    const run = await call(`${running.url}/api/sync/run`, { method: 'POST', key: 'bootstrap-admin-key-0123456789', body: { mode: 'full' } });
    expect(run.status).toBe(202);
    await running.close();
    await running.close();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    // The run stopped (or finished) and its leases were released before the store closed.
    const store = new SqliteStore({ path: join(io.cwd, 'sync.db') });
    try {
      for (const entity of ['contact', 'account', 'employee'] as const) {
        expect(await store.getLease(`sync:entity:${entity}`, new Date())).toBeNull();
      }
      expect(await store.getLease('sync:scheduler', new Date())).toBeNull();
    } finally {
      await store.close();
    }
  });
});
