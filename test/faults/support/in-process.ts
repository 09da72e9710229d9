/**
 * The whole server started in the test's process (`startServer`, the CLI's own composition
 * root) over the scenario's SQLite file and Odoo, with the Odoo client's timeout and the retry
 * delays shortened so a faulted run ends in seconds instead of minutes.
 * @module
 */
import { loadConfig, type RunningServer, startServer, type StartServerOptions } from '@odoo-sync/koa-server';
import { createLogger } from '@odoo-sync/koa-server';
import { ADMIN_KEY, BUILT_IN_SYNC_ENTITIES, type ServerSetup, WEBHOOK_SECRET } from './processes.js';

/** Odoo client settings of in-process servers: a request over 1.5 s has timed out. */
export const ODOO_TIMEOUT_MS = 1500;

/** Starts the server in this process. Close it with `close()`. */
export async function startInProcess(setup: ServerSetup, options: StartServerOptions = {}): Promise<RunningServer> {
  const config = loadConfig(
    {
      ODOO_URL: setup.odooUrl,
      ODOO_DB: setup.db,
      ODOO_USERNAME: setup.username,
      ODOO_API_KEY: setup.apiKey,
      STORE_URL: `sqlite:${setup.storePath}`,
      HOST: '127.0.0.1',
      PORT: '0',
      ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      WEBHOOK_SECRET,
      SYNC_INTERVAL_MINUTES: '60',
      // The fault suites check the six built-in entities against Odoo; Odoo's chatter has tests of its own.
      SYNC_ENTITIES: BUILT_IN_SYNC_ENTITIES,
      LOG_LEVEL: 'silent',
      ...setup.env,
    },
    { cwd: setup.dir, envFile: false },
  );
  return startServer(config, {
    logger: createLogger({ level: 'silent' }),
    processMetrics: false,
    odooClient: { timeoutMs: ODOO_TIMEOUT_MS, retries: 2, retryMinTimeoutMs: 20, retryMaxTimeoutMs: 100 },
    reconciler: { retry: { retries: 1, minTimeoutMs: 20, maxTimeoutMs: 50 } },
    ...options,
    scheduler: { retry: false, ...options.scheduler },
  });
}
