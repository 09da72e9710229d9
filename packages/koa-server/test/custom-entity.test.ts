import { stableHash } from '@odoo-sync/core/store-kit';
import { BUILT_IN_ENTITIES, defineEntity } from '@odoo-sync/core/entities';
import { ConfigError } from '@odoo-sync/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './helpers.js';

const product = defineEntity({
  name: 'product',
  label: 'Products',
  model: 'product.template',
  module: 'product',
  fields: [
    { odoo: 'name', kind: 'text' },
    { odoo: 'list_price', kind: 'number' },
    { odoo: 'categ_id', kind: 'many2one', relation: 'product.category' },
  ],
  searchKeys: ['name'],
  filters: { category: 'categId.id' },
  route: { path: 'products' },
});

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function seedProducts(server: TestServer): Promise<void> {
  const writes = [1, 2, 3, 4].map((odooId) => {
    const data = { odooId, name: `Desk ${odooId}`, listPrice: odooId * 100, categId: { id: (odooId % 2) + 1, name: `Category ${(odooId % 2) + 1}` } };
    return { odooId, data, hash: stableHash(data), isActive: true, inactiveReason: null, odooWriteDate: null };
  });
  await server.store.upsertRecords('product', writes, new Date());
}

describe('read routes of an entity that is not built in', () => {
  it('serves GET /api/<path> with its filters and GET /api/<path>/:odooId, documented in OpenAPI', async () => {
    s = await startTestServer({ app: { entities: [...BUILT_IN_ENTITIES, product] } });
    await seedProducts(s);
    const list = await call(`${s.url}/api/products?category=2&limit=10`, { key: s.userKey });
    expect(list.status).toBe(200);
    expect(list.json.items.map((item: { odooId: number }) => item.odooId)).toEqual([1, 3]);
    expect(list.json.items[0]).toMatchObject({ entity: 'product', data: { name: 'Desk 1', listPrice: 100 } });
    expect(list.json.items[0].hash).toBeUndefined();
    const one = await call(`${s.url}/api/products/4`, { key: s.userKey });
    expect(one.status).toBe(200);
    expect(one.json.data).toEqual({ odooId: 4, name: 'Desk 4', listPrice: 400, categId: { id: 1, name: 'Category 1' } });
    expect((await call(`${s.url}/api/products/99`, { key: s.userKey })).status).toBe(404);
    expect((await call(`${s.url}/api/products?category=abc`, { key: s.userKey })).status).toBe(422);
    expect((await call(`${s.url}/api/products?colour=red`, { key: s.userKey })).status).toBe(422);
    expect((await call(`${s.url}/api/products`)).status).toBe(401);
    const doc = (await call(`${s.url}/api/openapi.json`)).json;
    expect(doc.paths['/api/products'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'include', 'limit', 'cursor', 'category']),
    );
    expect(doc.paths['/api/products/{odooId}']).toBeDefined();
    expect(doc.paths['/api/contacts']).toBeDefined();
  });

  it('serves only the built-in read routes by default', async () => {
    s = await startTestServer();
    expect((await call(`${s.url}/api/products`, { key: s.userKey })).status).toBe(404);
  });

  it('refuses a route path another route already uses', async () => {
    const clash = defineEntity({ ...product, name: 'sync_item', route: { path: 'sync' } });
    await expect(startTestServer({ app: { entities: [...BUILT_IN_ENTITIES, clash] } })).rejects.toBeInstanceOf(ConfigError);
  });

  it('lists a synced entity that is not built in in the sync status, and runs it by hand by name', async () => {
    s = await startTestServer({ entities: ['account', product] });
    s.source.write('product.category', { id: 1, name: 'Desks', active: true });
    s.source.write('product.template', { id: 7, name: 'Standing desk', list_price: 450, categ_id: [1, 'Desks'], active: true });
    const run = await call(`${s.url}/api/sync/run`, { key: s.adminKey, method: 'POST', body: { entity: 'product', mode: 'full' } });
    expect(run.status).toBe(202);
    expect(run.json.entities).toEqual(['product']);
    await s.scheduler.stop();
    expect((await s.store.getRecord('product', 7))?.data).toMatchObject({ name: 'Standing desk', listPrice: 450 });
    const status = await call(`${s.url}/api/sync/status`, { key: s.userKey });
    expect(status.status).toBe(200);
    expect(status.json.entities).toEqual([
      expect.objectContaining({ entity: 'account', label: 'Accounts' }),
      expect.objectContaining({ entity: 'product', label: 'Products', active: 1, lastRunStatus: 'success' }),
    ]);
    const unknown = await call(`${s.url}/api/sync/run`, { key: s.adminKey, method: 'POST', body: { entity: 'contact' } });
    expect(unknown.status).toBe(422);
  });
});
