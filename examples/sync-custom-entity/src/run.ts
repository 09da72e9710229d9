import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Reconciler, type RunResult, SyncScheduler, systemClock } from '@odoo-sync/core';
import { BUILT_IN_ENTITIES } from '@odoo-sync/core/entities';
import { createApp, issueApiKey } from '@odoo-sync/koa-server';
import { OdooClient, OdooSource } from '@odoo-sync/odoo-adapter';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { product } from './product.js';

/** What {@link runExample} leaves running: the sync result, the app's URL and key, and how to stop. */
export interface ExampleRun {
  result: RunResult;
  url: string;
  apiKey: string;
  store: SqliteStore;
  close(): Promise<void>;
}

/**
 * Starts a simulated Odoo with a product catalogue, syncs accounts and products into a SQLite
 * file in `dir`, and serves the bundled app (with `GET /api/products`) on 127.0.0.1.
 */
export async function runExample(dir: string): Promise<ExampleRun> {
  const sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 3, counts: { partners: 40, products: 25 } });
  const client = new OdooClient({ url: sim.url, db: sim.db, username: sim.credentials.username, apiKey: sim.credentials.apiKey });
  const store = new SqliteStore({ path: join(dir, 'store.db'), entities: [product] });
  const reconciler = new Reconciler({ source: new OdooSource(client), store, entities: ['account', product] });
  const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store });
  const result = await reconciler.run({ mode: 'full', trigger: 'manual' });

  // The app serves the read routes of the built-in entities and of the reconciler's (products).
  const app = createApp({ store, scheduler, reconciler, entities: [...BUILT_IN_ENTITIES, product] });
  const { key } = await issueApiKey(store, { email: 'reader@example.com', role: 'user', clock: systemClock });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    result,
    url: `http://127.0.0.1:${port}`,
    apiKey: key,
    store,
    async close() {
      await app.webhooks.stop();
      await scheduler.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await client.close();
      await sim.close();
    },
  };
}
