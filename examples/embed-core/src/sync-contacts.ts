import { MemoryStore, Reconciler, type ReconcilerStore, type RunResult, type SourceReader } from '@odoo-sync/core';

/**
 * Syncs Odoo contacts and companies into any store, then prints what happened.
 * The store only needs the ports the Reconciler uses (`ReconcilerStore`: records, sync logs
 * and leases): swap `MemoryStore` for `SqliteStore`, `MongoStore` or your own implementation,
 * and the source for `new OdooSource(new OdooClient({ url, db, username, apiKey }))`.
 */
export async function syncContacts(source: SourceReader, store: ReconcilerStore = new MemoryStore()): Promise<RunResult> {
  const reconciler = new Reconciler({ source, store, entities: ['account', 'contact'] });
  reconciler.on('entity:finished', (entry) => {
    console.log(`${entry.entity}: ${entry.status}`, entry.counts);
  });
  const first = await reconciler.run({ mode: 'full', trigger: 'manual' });
  if (first.status === 'failed') return first;
  // Later runs read only what changed since the last cursor.
  return reconciler.run({ trigger: 'schedule' });
}
