/**
 * A CRM write that reached Odoo is never lost: when the record cannot be read back into the
 * store at once, the answer still says what Odoo accepted, and the next sync brings it in.
 */
import { OdooClient } from '@odoo-sync/odoo-adapter';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { OdooTransportError } from '@odoo-sync/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAppOptions } from '../src/http/app.js';
import { call, startTestServer, type TestServer } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function linkedUserServer(app: Partial<CreateAppOptions>): Promise<TestServer> {
  const server = await startTestServer({ app });
  cleanups.push(() => server.close());
  const user = (await server.store.getUserByEmail('user@example.com'))!;
  await server.store.updateUser(user.id, { odooLink: { odooUserId: 2, employeeId: null, strategy: 'manual', linkedAt: new Date().toISOString(), linkedBy: user.id } }, new Date());
  return server;
}

describe('CRM writes when the store cannot follow at once', () => {
  it('answers 201 with what Odoo accepted (reconciled: false, a note) when the read-back fails; the record is in Odoo', async () => {
    const sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 4, counts: { partners: 5, opportunities: 2, invoices: 0, employees: 1, users: 2 } });
    cleanups.push(() => sim.close());
    const odoo = new OdooClient({ url: sim.url, db: sim.db, username: sim.credentials.username, apiKey: sim.credentials.apiKey, retries: 0 });
    cleanups.push(() => odoo.close());
    const server = await linkedUserServer({
      odoo,
      reconciler: {
        entitiesOfModel: () => ['opportunity'],
        reconcileRecord: async () => {
          throw new OdooTransportError('Odoo went away while reading back.', { retryable: true });
        },
      },
    });
    const res = await call(`${server.url}/api/opportunities`, { method: 'POST', key: server.userKey, body: { name: 'Accepted but not read back' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ reconciled: false, record: null, note: expect.stringContaining('Odoo accepted the change') });
    const id = res.json.odooId as number;
    expect(sim.searchRead('crm.lead', [['id', '=', id]], { fields: ['name', 'user_id'] })).toEqual([{ id, name: 'Accepted but not read back', user_id: [2, expect.any(String)] }]);
    const [activity] = (await server.store.queryActivities({ entityType: 'opportunity', entityId: String(id) })).items;
    expect(activity).toMatchObject({ activityType: 'opportunity_created', title: 'Created opportunity: Accepted but not read back' });
  });

  it('answers 503 odoo_writes_unavailable when the app has no Odoo to write through', async () => {
    const server = await linkedUserServer({});
    const res = await call(`${server.url}/api/accounts`, { method: 'POST', key: server.userKey, body: { name: 'Nowhere' } });
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('odoo_writes_unavailable');
  });
});
