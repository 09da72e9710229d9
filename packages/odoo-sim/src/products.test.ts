import { describe, expect, it } from 'vitest';
import { generateDataset } from './generator.js';
import { MODELS } from './schema.js';

describe('product catalogue', () => {
  it('declares product.template and product.category with their Odoo fields', () => {
    const template = MODELS.get('product.template');
    expect(template?.module).toBe('product');
    expect(template?.hasActive).toBe(true);
    expect(template?.fields.get('categ_id')).toMatchObject({ type: 'many2one', relation: 'product.category', required: true });
    expect(template?.fields.get('list_price')).toMatchObject({ type: 'float', string: 'Sales Price' });
    expect(template?.fields.get('type')?.selection?.map(([value]) => value)).toEqual(['consu', 'service', 'product']);
    expect(MODELS.get('product.category')?.fields.get('parent_id')).toMatchObject({ relation: 'product.category' });
  });

  it('generates a seeded catalogue without changing the other models', () => {
    const a = generateDataset({ seed: 7 });
    const b = generateDataset({ seed: 7, counts: { products: 0 } });
    expect(a.models['product.template']).toHaveLength(40);
    expect(a.models['product.template']).toEqual(generateDataset({ seed: 7 }).models['product.template']);
    expect(b.models['res.partner']).toEqual(a.models['res.partner']);
    expect(b.models['crm.lead']).toEqual(a.models['crm.lead']);
    const categories = new Set(a.models['product.category'].map((row) => row.id));
    for (const product of a.models['product.template']) {
      expect(categories.has(product.categ_id)).toBe(true);
      expect(product.write_date >= product.create_date).toBe(true);
      expect(product.write_date < a.until).toBe(true);
    }
    expect(a.models['product.template'].some((product) => product.type === 'service')).toBe(true);
    expect(a.models['product.template'].some((product) => !product.active)).toBe(true);
  });
});
