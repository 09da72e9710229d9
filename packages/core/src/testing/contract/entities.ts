/**
 * Contract cases for an entity that is not built in: a store keeps records of any entity name,
 * filters them on the paths the definition declares, counts them and sweeps deletions. A store
 * opened with {@link CONTRACT_ENTITY} among its definitions also has the declared index.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { defineEntity } from '../../entities/entity-definition.js';
import { stableHash } from '../../sync/hash.js';
import type { RecordWrite } from '../../model.js';
import type { RecordStore } from '../../ports.js';
import { at, T0 } from './fixtures.js';

/** The custom entity the contract writes: products with a category, a filter and an index on it. */
export const CONTRACT_ENTITY = defineEntity({
  name: 'contract_product',
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
  indexes: [{ fields: ['categId.id'] }],
  route: { path: 'contract-products' },
});

function productWrite(odooId: number, category: number): RecordWrite {
  const data = { odooId, name: `Product ${odooId}`, listPrice: odooId * 1.5, categId: { id: category, name: `Category ${category}` } };
  return { odooId, data, hash: stableHash(data), isActive: true, inactiveReason: null, odooWriteDate: new Date(T0 - odooId * 1000).toISOString() };
}

/** Registers the custom-entity cases against the store `getStore` returns for the current case. */
export function defineCustomEntityCases(getStore: () => RecordStore): void {
  describe('RecordStore with an entity that is not built in', () => {
    it('writes, queries by a declared filter, counts and sweeps deletions', async () => {
      const store = getStore();
      const entity = CONTRACT_ENTITY.name;
      await store.upsertRecords(entity, Array.from({ length: 30 }, (_, i) => productWrite(i + 1, (i % 3) + 1)), at(1));
      await store.upsertRecords('contact', [{ ...productWrite(2, 2), data: { odooId: 2 } }], at(1));
      const path = CONTRACT_ENTITY.filters['category'] as string;
      const page = await store.queryRecords(entity, { where: { [path]: 2 }, limit: 100 });
      expect(page.items.map((record) => record.odooId)).toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26, 29]);
      expect(page.items[0]).toMatchObject({ entity, data: { name: 'Product 2', categId: { id: 2, name: 'Category 2' } } });
      expect((await store.queryRecords(entity, { search: { text: 'product 1', keys: CONTRACT_ENTITY.searchKeys }, limit: 100 })).items).toHaveLength(11);
      expect(await store.markDeleted(entity, [2, 5, 99], at(2))).toBe(2);
      expect(await store.countRecords(entity)).toEqual({ active: 28, archived: 0, deleted: 2 });
      expect((await store.queryRecords(entity, { where: { [path]: 2 }, limit: 100 })).items).toHaveLength(8);
      expect(await store.listLiveIds(entity)).toHaveLength(28);
      expect(await store.countRecords('contact')).toMatchObject({ active: 1 });
      await store.setCursor(entity, '2026-03-01T08:00:00.000Z');
      expect(await store.getCursor(entity)).toBe('2026-03-01T08:00:00.000Z');
    });
  });
}
