/**
 * `@odoo-sync/odoo-sim` is an optional peer dependency of the server: a real deployment (with
 * `ODOO_URL`) runs without it, and the simulator default says clearly what is missing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@odoo-sync/core/errors';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptional, isMissingModule } from '../src/runtime/optional-modules.js';
import { killLeftovers, runCli, serve } from './processes.js';

const WITHOUT_ODOO_SIM = pathToFileURL(resolve(import.meta.dirname, 'without-odoo-sim.mjs')).href;
const ADMIN_KEY = 'optional-peers-admin-key-0123456789';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sync-peers-'));
});
afterEach(async () => {
  await killLeftovers();
  rmSync(dir, { recursive: true, force: true });
});

describe('the manifest', () => {
  it('lists odoo-sim as an optional peer, not a dependency', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    expect(pkg.dependencies['@odoo-sync/odoo-sim']).toBeUndefined();
    expect(pkg.peerDependencies?.['@odoo-sync/odoo-sim']).toBeDefined();
    expect(pkg.peerDependenciesMeta?.['@odoo-sync/odoo-sim']?.optional).toBe(true);
  });
});

describe('importOptional', () => {
  it('turns a missing package into a ConfigError naming the variable, and lets other failures through', async () => {
    const missing = Object.assign(new Error("Cannot find package '@odoo-sync/odoo-sim' imported from /srv/app/x.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = await importOptional('@odoo-sync/odoo-sim', () => Promise.reject(missing), { variable: 'ODOO_URL', because: 'ODOO_URL is not set', hint: 'Set ODOO_URL.' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'config_invalid', hint: 'Set ODOO_URL.', issues: [{ path: 'ODOO_URL' }] });
    // A package that is there but fails, or another package missing, is not this.
    const broken = new Error('boom');
    await expect(importOptional('@odoo-sync/odoo-sim', () => Promise.reject(broken), { variable: 'X', because: 'b', hint: 'h' })).rejects.toBe(broken);
    const other = Object.assign(new Error("Cannot find package 'left-pad' imported from /srv/app/node_modules/@odoo-sync/odoo-sim/dist/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(isMissingModule(other, '@odoo-sync/odoo-sim')).toBe(false);
    expect(isMissingModule(Object.assign(new Error("Cannot find module '@odoo-sync/odoo-sim'"), { code: 'MODULE_NOT_FOUND' }), '@odoo-sync/odoo-sim')).toBe(true);
  });
});

describe('a server process without @odoo-sync/odoo-sim installed', () => {
  it('without ODOO_URL: exits with an error that says to set ODOO_URL or install the simulator, no stack trace', async () => {
    const cli = runCli(['serve'], {
      cwd: dir,
      env: { STORE_URL: `sqlite:${join(dir, 'a.db')}`, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn' },
      imports: [WITHOUT_ODOO_SIM],
    });
    expect(await cli.exit).toBe(1);
    const stderr = cli.stderr();
    expect(stderr).toContain('odoo-sync: config_invalid: ODOO_URL is not set');
    expect(stderr).toContain('@odoo-sync/odoo-sim is not installed');
    expect(stderr).toContain('Set ODOO_URL');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('with ODOO_URL: serves and syncs from that Odoo', async () => {
    const sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 3, counts: { partners: 10, opportunities: 5, invoices: 5, employees: 3, users: 2 } });
    try {
      const server = serve({
        cwd: dir,
        env: {
          ODOO_URL: sim.url,
          ODOO_DB: sim.db,
          ODOO_USERNAME: sim.credentials.username,
          ODOO_API_KEY: sim.credentials.apiKey,
          STORE_URL: `sqlite:${join(dir, 'b.db')}`,
          HOST: '127.0.0.1',
          PORT: '0',
          ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
          LOG_LEVEL: 'info',
        },
        imports: [WITHOUT_ODOO_SIM],
      });
      const url = await server.url;
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exit).toBe(0);
    } finally {
      await sim.close();
    }
  }, 120_000);
});
