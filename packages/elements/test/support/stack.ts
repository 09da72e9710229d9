/**
 * A real odoo-sync server for the elements' browser tests: odoo-sim over HTTP, a SQLite file,
 * the bundled server (`startServer`) on 127.0.0.1, an admin key and a user key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@odoo-sync/core';
import { createLogger, issueApiKey, loadConfig, startServer, type RunningServer } from '@odoo-sync/koa-server';
import { startOdooSim } from '@odoo-sync/odoo-sim';

/** The running stack. */
export interface Stack {
  /** The server's origin, `http://127.0.0.1:port`. */
  url: string;
  server: RunningServer;
  sim: Awaited<ReturnType<typeof startOdooSim>>;
  adminKey: string;
  userKey: string;
  /** The user key's user id. */
  userId: string;
  close(): Promise<void>;
}

const ADMIN_KEY = 'elements-admin-key-0123456789abcdef';

/** Starts odoo-sim and the server over a new SQLite file; no run has happened yet. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-elements-'));
  const sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 7, counts: { partners: 20, opportunities: 10, invoices: 10, employees: 6, users: 4 } });
  let server: RunningServer;
  try {
    const config = loadConfig(
      {
        ODOO_URL: sim.url,
        ODOO_DB: sim.db,
        ODOO_USERNAME: sim.credentials.username,
        ODOO_API_KEY: sim.credentials.apiKey,
        STORE_URL: `sqlite:${join(dir, 'sync.db')}`,
        PORT: '0',
        HOST: '127.0.0.1',
        ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
        LOG_LEVEL: 'silent',
        ...env,
      },
      { envFile: false, cwd: dir },
    );
    server = await startServer(config, { logger: createLogger({ level: 'silent' }), processMetrics: false });
  } catch (err) {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const user = await issueApiKey(server.store, { email: 'ana@example.com', role: 'user', clock: systemClock });
  return {
    url: server.url,
    server,
    sim,
    adminKey: ADMIN_KEY,
    userKey: user.key,
    userId: user.user.id,
    async close() {
      await server.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a sync through the scheduler and waits for it; returns its outcome. */
export async function syncNow(stack: Stack): Promise<'success' | 'failed' | 'partial'> {
  const { done } = await stack.server.scheduler.startRun({ mode: 'full', trigger: 'manual', force: false });
  const result = await done;
  return result.status as 'success' | 'failed' | 'partial';
}
