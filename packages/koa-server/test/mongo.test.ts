/**
 * The server with STORE_URL=mongodb://… : against a real MongoDB when MONGODB_URI is set,
 * otherwise jongodb (the stand-in the mongo-store package tests with), skipped when neither is there.
 */
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropTestDatabase, freshDbName, MongoClient, serverTarget, startServer as startMongo, type TestServer as MongoServer } from '../../mongo-store/test/mongo-server.js';
import { loadConfig } from '../src/runtime/config.js';
import { createLogger } from '../src/runtime/logger.js';
import { startServer } from '../src/runtime/composition.js';
import { call, waitFor } from './helpers.js';
import { SERVER_ENTITY_NAMES } from '../src/runtime/config-values.js';

const target = serverTarget();
let mongo: MongoServer | undefined;

beforeAll(async () => {
  if (target.kind !== 'none') mongo = await startMongo(target);
}, 60_000);
afterAll(async () => {
  await mongo?.stop();
});

it.skipIf(target.kind === 'none')('syncs odoo-sim into MongoDB and serves it (STORE_URL=mongodb://…/db)', async () => {
  const sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 4, counts: { partners: 30, opportunities: 10, invoices: 10, employees: 5, users: 3 } });
  const url = new URL(mongo!.uri);
  const dbName = freshDbName('koa_server');
  url.pathname = `/${dbName}`;
  const key = 'mongo-admin-key-0123456789abcdef';
  const config = loadConfig(
    {
      ODOO_URL: sim.url,
      ODOO_DB: sim.db,
      ODOO_USERNAME: sim.credentials.username,
      ODOO_API_KEY: sim.credentials.apiKey,
      STORE_URL: url.toString(),
      PORT: '0',
      ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: key,
    },
    { envFile: false },
  );
  const server = await startServer(config, { logger: createLogger({ level: 'silent' }), processMetrics: false });
  try {
    const run = await call(`${server.url}/api/sync/run`, { method: 'POST', key, body: { mode: 'full' } });
    expect(run.status).toBe(202);
    const entries = await waitFor(async () => {
      const logs = await call(`${server.url}/api/sync/logs?runId=${run.json.runId}`, { key });
      return logs.json.items.length === SERVER_ENTITY_NAMES.length ? (logs.json.items as Array<{ status: string }>) : undefined;
    }, 60_000);
    expect(entries.map((e) => e.status)).toEqual(SERVER_ENTITY_NAMES.map(() => 'success'));
    const contacts = await call(`${server.url}/api/contacts?limit=5`, { key });
    expect(contacts.json.items.length).toBeGreaterThan(0);
    expect((await call(`${server.url}/readyz`)).json.store.ok).toBe(true);
  } finally {
    await server.close();
    await sim.close();
    const client = new MongoClient(mongo!.uri);
    await dropTestDatabase(client, dbName).finally(() => client.close());
  }
});
