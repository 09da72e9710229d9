import { defineEntity } from '@odoo-sync/core/entities';

/**
 * Products for sale (`product.template` with `sale_ok`), synced like the built-in entities:
 * the record type (`{ odooId, name, defaultCode, listPrice, categId, type }`) is inferred
 * from the fields, `GET /api/products?category=<id>&q=<text>` is served, and the store keeps
 * an index on the category.
 */
export const product = defineEntity({
  name: 'product',
  label: 'Products',
  model: 'product.template',
  module: 'product',
  domain: [['sale_ok', '=', true]],
  fields: [
    { odoo: 'name', kind: 'text' },
    { odoo: 'default_code', kind: 'text' },
    { odoo: 'list_price', kind: 'number' },
    { odoo: 'type', kind: 'text' },
    { odoo: 'categ_id', kind: 'many2one', relation: 'product.category' },
  ],
  searchKeys: ['name', 'defaultCode'],
  filters: { category: 'categId.id', type: 'type' },
  indexes: [{ fields: ['categId.id'] }],
  route: { path: 'products' },
});
