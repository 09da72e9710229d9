import { describe, expect, expectTypeOf, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import {
  BUILT_IN_ENTITIES,
  defineEntity,
  ENTITY_NAMES,
  ENTITY_SPECS,
  type EntityDefinition,
  entityIndexName,
  entityRegistry,
  mapOdooRow,
  orderByReferences,
} from '../src/entities/entities.js';
import { EntityDefinitionError, InputError } from '../src/errors.js';
import { stableHash } from '../src/sync/hash.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import { Reconciler } from '../src/sync/reconciler.js';
import { SyncScheduler } from '../src/scheduling/scheduler.js';

const product = defineEntity({
  name: 'product',
  label: 'Products',
  model: 'product.template',
  module: 'product',
  domain: [['sale_ok', '=', true]],
  fields: [
    { odoo: 'name', kind: 'text' },
    { odoo: 'default_code', kind: 'text' },
    { odoo: 'list_price', kind: 'number' },
    { odoo: 'categ_id', kind: 'many2one', relation: 'product.category' },
  ],
  searchKeys: ['name', 'defaultCode'],
  filters: { category: 'categId.id' },
  indexes: [{ fields: ['categId.id'] }],
  route: { path: 'products' },
});

function productRow(id: number, extra: Record<string, unknown> = {}) {
  return { id, name: `Product ${id}`, default_code: `P${id}`, list_price: 10 * id, categ_id: [1, 'All'], sale_ok: true, active: true, ...extra };
}

function failure(run: () => unknown): EntityDefinitionError {
  try {
    run();
  } catch (error) {
    if (error instanceof EntityDefinitionError) return error;
    throw error;
  }
  throw new Error('expected an EntityDefinitionError');
}

describe('defineEntity', () => {
  it('infers the record type from the fields and fills in the defaults', () => {
    expectTypeOf(product.name).toEqualTypeOf<'product'>();
    const mapped = mapOdooRow(product, productRow(3, { default_code: false }));
    expect(mapped).toEqual({
      ok: true,
      record: { odooId: 3, name: 'Product 3', defaultCode: null, listPrice: 30, categId: { id: 1, name: 'All' } },
    });
    if (mapped.ok) {
      expectTypeOf(mapped.record.listPrice).toEqualTypeOf<number | null>();
      expectTypeOf(mapped.record.categId).toEqualTypeOf<{ id: number; name: string } | null>();
    }
    expect(product).toMatchObject({ hasActive: true, deletion: 'soft-delete', references: [], module: 'product' });
    expect(mapOdooRow(product, productRow(4, { list_price: 'cheap' }))).toMatchObject({ ok: false, reason: expect.stringContaining('listPrice') });
  });

  it('maps rows with toRecord before the schema checks them', () => {
    const tagged = defineEntity({
      name: 'tagged',
      model: 'res.partner.category',
      fields: [{ odoo: 'name', kind: 'text' }],
      toRecord: (record) => ({ ...record, name: String(record['name']).toUpperCase() }),
    });
    expect(mapOdooRow(tagged, { id: 1, name: 'vip' })).toEqual({ ok: true, record: { odooId: 1, name: 'VIP' } });
  });

  it('rejects bad definitions with a typed error naming every problem', () => {
    const error = failure(() =>
      defineEntity({
        name: 'Bad Name',
        model: 'product.template',
        fields: [
          { odoo: 'name', kind: 'text' },
          { odoo: 'name', kind: 'text' },
          { odoo: 'price', kind: 'money' as 'number' },
        ],
        searchKeys: ['title'],
        filters: { limit: 'name', category: 'categ.id' },
        indexes: [{ fields: [] }],
        route: { path: 'Products!' },
      }),
    );
    expect(error.code).toBe('entity_definition_invalid');
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'Bad Name.name',
      'Bad Name.fields.1.odoo',
      'Bad Name.fields.2.kind',
      'Bad Name.searchKeys.0',
      'Bad Name.filters.limit',
      'Bad Name.filters.category',
      'Bad Name.indexes.0.fields',
      'Bad Name.route.path',
    ]);
    expect(error.message).toContain('unknown kind "money"');
  });

  it('defines the built-in entities with the same hashes as before', () => {
    // Hash of a contact as stored by earlier versions: a changed definition would re-write every record.
    const mapped = mapOdooRow(ENTITY_SPECS.contact, { id: 7, name: 'Ann', email: 'ann@example.com', phone: false, function: false, city: false, parent_id: false, commercial_partner_id: [7, 'Ann'] });
    expect(mapped.ok && stableHash(mapped.record)).toBe(stableHash({ odooId: 7, name: 'Ann', email: 'ann@example.com', phone: null, function: null, city: null, parentId: null, commercialPartnerId: { id: 7, name: 'Ann' } }));
    expect(BUILT_IN_ENTITIES.map((spec) => spec.name)).toEqual(ENTITY_NAMES);
    expect(ENTITY_SPECS.contact.route).toEqual({ path: 'contacts' });
  });

  it('names declared indexes deterministically', () => {
    expect(entityIndexName('product', { fields: ['categId.id', 'defaultCode'] })).toBe('product__categId_id__defaultCode');
  });
});

describe('entityRegistry', () => {
  it('checks attachedTo: model names and paths of the record', () => {
    const fields = [{ odoo: 'res_model', kind: 'text' }, { odoo: 'res_id', kind: 'number' }] as const;
    const good = defineEntity({ name: 'note', model: 'x.note', fields, attachedTo: { models: ['res.partner'], model: 'resModel', id: 'resId' } });
    expect(good.attachedTo).toEqual({ models: ['res.partner'], model: 'resModel', id: 'resId' });
    const bad = failure(() => defineEntity({ name: 'note', model: 'x.note', fields, attachedTo: { models: ['Res Partner'], model: 'resModel', id: 'docId' } }));
    expect(bad.issues.map((issue) => issue.path)).toEqual(['note.attachedTo.models.0', 'note.attachedTo.id']);
  });

  it('checks names, routes and references across definitions', () => {
    const twin = { ...product, route: { path: 'products' } } as EntityDefinition;
    const ghost = defineEntity({ name: 'variant', model: 'product.product', fields: [], references: ['template'] });
    const error = failure(() => entityRegistry([product, twin, ghost]));
    expect(error.issues).toEqual([
      { path: 'product.name', message: 'entity "product" is defined twice' },
      { path: 'product.route.path', message: 'route "products" is also used by "product"' },
      { path: 'variant.references', message: 'unknown entity "template"' },
    ]);
  });

  it('orders entities after the ones they reference, keeping the given order otherwise', () => {
    const line = defineEntity({ name: 'sale_line', model: 'sale.order.line', fields: [], references: ['sale', 'product'] });
    const sale = defineEntity({ name: 'sale', model: 'sale.order', fields: [], references: ['account'] });
    const registry = entityRegistry([line, ...BUILT_IN_ENTITIES, sale, product]);
    expect(registry.names).toEqual([...ENTITY_NAMES, 'sale', 'product', 'sale_line']);
    expect(entityRegistry().names).toEqual(ENTITY_NAMES);
    expect(registry.ofModel('res.partner').map((spec) => spec.name)).toEqual(['account', 'contact']);
    expect(() => registry.get('nope')).toThrow(/Unknown entity "nope"/);
    const a = defineEntity({ name: 'a', model: 'x.a', fields: [], references: ['b'] });
    const b = defineEntity({ name: 'b', model: 'x.b', fields: [], references: ['a'] });
    expect(failure(() => orderByReferences([a, b])).message).toMatch(/cycle among a, b/);
  });
});

describe('Reconciler and SyncScheduler with a custom entity', () => {
  function setup(definition: EntityDefinition = product) {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const source = new MemorySource({ clock });
    const store = new MemoryStore();
    const reconciler = new Reconciler({ source, store, clock, entities: ['account', definition], overlapMs: 0, retry: false });
    for (let id = 1; id <= 10; id++) source.write('product.template', productRow(id));
    source.write('product.template', productRow(11, { sale_ok: false }));
    return { clock, source, store, reconciler };
  }

  it('syncs it, queries it by a declared filter, and sweeps deletions', async () => {
    const { source, store, reconciler, clock } = setup();
    expect(reconciler.entities).toEqual(['account', 'product']);
    const first = await reconciler.run({ mode: 'full' });
    expect(first.entries.map((entry) => [entry.entity, entry.status, entry.counts.inserted])).toEqual([
      ['account', 'success', 0],
      ['product', 'success', 10],
    ]);
    source.write('product.template', productRow(2, { categ_id: [5, 'Tools'] }));
    source.unlink('product.template', [3]);
    await clock.advance(60_000);
    const second = await reconciler.run({ mode: 'full', entities: ['product'] });
    expect(second.entries[0]?.counts).toMatchObject({ updated: 1, softDeleted: 1 });
    const tools = await store.queryRecords('product', { where: { 'categId.id': 5 } });
    expect(tools.items.map((record) => record.data)).toEqual([{ odooId: 2, name: 'Product 2', defaultCode: 'P2', listPrice: 20, categId: { id: 5, name: 'Tools' } }]);
    expect(await store.countRecords('product')).toMatchObject({ active: 9, deleted: 1 });
    expect(await reconciler.reconcileRecord('product', 4)).toMatchObject({ outcome: 'unchanged' });
  });

  it('keeps records Odoo no longer has when the definition says so', async () => {
    const kept = defineEntity({ ...product, name: 'kept_product', deletion: 'keep' });
    const { source, store, reconciler } = setup(kept);
    await reconciler.run({ mode: 'full' });
    source.unlink('product.template', [1, 2, 3, 4, 5]);
    const result = await reconciler.run({ mode: 'full' });
    expect(result.status).toBe('success');
    expect(result.entries[1]?.counts.softDeleted).toBe(0);
    expect(await store.countRecords('kept_product')).toMatchObject({ active: 10, deleted: 0 });
    expect(await reconciler.reconcileRecord('kept_product', 1)).toMatchObject({ outcome: 'absent' });
    expect(await store.countRecords('kept_product')).toMatchObject({ active: 10, deleted: 0 });
  });

  it('rejects an unknown name or a bad definition when built', () => {
    const { source, store } = setup();
    expect(() => new Reconciler({ source, store, entities: ['product'] })).toThrow(/unknown entity "product"; pass its definition/);
    expect(() => new Reconciler({ source, store, entities: [product, product] })).toThrow(EntityDefinitionError);
  });

  it('lets a scheduler start a run of it, and still rejects unknown names', async () => {
    const { reconciler, store, clock } = setup();
    const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store, clock });
    const started = await scheduler.startRun({ entities: ['product'], mode: 'full' });
    const result = await started.done;
    expect(result.entries.map((entry) => [entry.entity, entry.status])).toEqual([['product', 'success']]);
    await expect(scheduler.startRun({ entities: ['service'] })).rejects.toBeInstanceOf(InputError);
    await scheduler.stop();
  });
});
