/**
 * The product catalogue (Odoo's `product` module): `product.category` and `product.template`
 * with the fields a sales catalogue reads, and their seeded generator. Not synced by odoo-sync's
 * built-in entities: examples and tests define their own entity for it.
 * @module
 */
import type { NamedRow, BaseRow } from './dataset.js';
import { formatOdooDatetime } from './odoo-time.js';
import type { SeededRandom } from './prng.js';
import type { ModelSpec } from './schema.js';

/** `product.template.type` in Odoo 17: goods, services, and stock-tracked goods. */
export const PRODUCT_TYPES = [
  ['consu', 'Consumable'],
  ['service', 'Service'],
  ['product', 'Storable Product'],
] as const;

/** The product models, as `schema.ts` builds them (magic fields added there). */
export const PRODUCT_MODEL_SPECS: ModelSpec[] = [
  {
    name: 'product.category',
    description: 'Product Category',
    module: 'product',
    order: 'complete_name',
    fields: {
      name: { type: 'char', string: 'Name', required: true },
      parent_id: { type: 'many2one', relation: 'product.category', string: 'Parent Category', ondelete: 'cascade' },
      complete_name: {
        type: 'char',
        string: 'Complete Name',
        readonly: true,
        compute: (row, ctx) => {
          const names: string[] = [];
          let current: typeof row | undefined = row;
          for (let depth = 0; current && depth < 20; depth++) {
            names.unshift(typeof current['name'] === 'string' ? current['name'] : '');
            const parent: unknown = current['parent_id'];
            current = typeof parent === 'number' && parent > 0 ? ctx.row('product.category', parent) : undefined;
          }
          return names.join(' / ');
        },
      },
    },
    displayName: (row, ctx) => {
      const parent = row['parent_id'];
      const parentRow = typeof parent === 'number' && parent > 0 ? ctx.row('product.category', parent) : undefined;
      const name = typeof row['name'] === 'string' ? row['name'] : '';
      return parentRow && typeof parentRow['name'] === 'string' ? `${parentRow['name']} / ${name}` : name;
    },
  },
  {
    name: 'product.template',
    description: 'Product',
    module: 'product',
    order: 'priority desc, name',
    fields: {
      name: { type: 'char', string: 'Name', required: true },
      default_code: { type: 'char', string: 'Internal Reference' },
      barcode: { type: 'char', string: 'Barcode' },
      type: { type: 'selection', selection: PRODUCT_TYPES, string: 'Product Type', required: true, default: 'consu' },
      categ_id: { type: 'many2one', relation: 'product.category', string: 'Product Category', required: true },
      list_price: { type: 'float', string: 'Sales Price', default: 1 },
      standard_price: { type: 'float', string: 'Cost' },
      sale_ok: { type: 'boolean', string: 'Can be Sold', default: true },
      purchase_ok: { type: 'boolean', string: 'Can be Purchased', default: true },
      description_sale: { type: 'text', string: 'Sales Description' },
      priority: { type: 'selection', selection: [['0', 'Normal'], ['1', 'Favorite']], string: 'Favorite', default: '0' },
      company_id: { type: 'many2one', relation: 'res.company', string: 'Company' },
      active: { type: 'boolean', string: 'Active', default: true },
    },
  },
];

/** A `product.category` row. */
export interface ProductCategoryRow extends NamedRow {
  readonly parent_id: number | false;
}

/** A `product.template` row. */
export interface ProductTemplateRow extends BaseRow {
  readonly name: string;
  readonly default_code: string | false;
  readonly barcode: string | false;
  readonly type: 'consu' | 'service' | 'product';
  readonly categ_id: number;
  readonly list_price: number;
  readonly standard_price: number;
  readonly sale_ok: boolean;
  readonly purchase_ok: boolean;
  readonly description_sale: string | false;
  readonly priority: '0' | '1';
  readonly company_id: number | false;
  readonly active: boolean;
}

const CATEGORIES: readonly (readonly [name: string, parent: number | false])[] = [
  ['All', false],
  ['Saleable', 1],
  ['Services', 1],
  ['Office Furniture', 2],
  ['Hardware', 2],
];

const GOODS = ['Desk', 'Chair', 'Cabinet', 'Lamp', 'Monitor', 'Keyboard', 'Dock', 'Headset', 'Whiteboard', 'Shelf'];
const ADJECTIVES = ['Ergonomic', 'Compact', 'Large', 'Standing', 'Wireless', 'Pro', 'Basic', 'Premium', 'Corner', 'Mobile'];
const SERVICES = ['Installation', 'Training', 'Support Plan', 'Consulting Day', 'Maintenance'];

/**
 * Seeded categories and products: goods and services, a few archived or not for sale, some
 * without an internal reference, prices with cents, write dates before `untilMs`.
 */
export function generateProducts(
  random: SeededRandom,
  count: number,
  untilMs: number,
): { categories: ProductCategoryRow[]; products: ProductTemplateRow[] } {
  const setup = formatOdooDatetime(new Date(untilMs - 800 * 86_400_000));
  const categories = CATEGORIES.map(([name, parent], index) => ({
    id: index + 1,
    name,
    parent_id: parent,
    create_date: setup,
    write_date: setup,
    create_uid: 1,
    write_uid: 1,
  }));
  const products: ProductTemplateRow[] = [];
  for (let i = 0; i < count; i++) {
    const service = random.chance(0.2);
    const created = untilMs - random.int(2, 700 * 86_400) * 1000;
    const written = created + random.int(0, Math.floor((untilMs - 1000 - created) / 1000)) * 1000;
    const name = service ? `${random.pick(SERVICES)}${random.chance(0.3) ? ' (Remote)' : ''}` : `${random.pick(ADJECTIVES)} ${random.pick(GOODS)}`;
    const price = random.int(500, 250_000) / 100;
    products.push({
      id: i + 1,
      name,
      default_code: random.chance(0.85) ? `${service ? 'SRV' : 'FURN'}_${String(i + 1).padStart(4, '0')}` : false,
      barcode: !service && random.chance(0.5) ? String(random.int(100_000_000, 999_999_999)).padStart(13, '5') : false,
      type: service ? 'service' : random.chance(0.6) ? 'product' : 'consu',
      categ_id: service ? 3 : random.pick([4, 5, 2]),
      list_price: price,
      standard_price: Math.round(price * random.int(40, 80)) / 100,
      sale_ok: random.chance(0.9),
      purchase_ok: !service,
      description_sale: random.chance(0.3) ? `${name}, delivered within ${random.int(2, 15)} days.` : false,
      priority: random.chance(0.1) ? '1' : '0',
      company_id: random.chance(0.8) ? false : 1,
      active: (i + 1) % 15 !== 0 && random.chance(0.95),
      create_date: formatOdooDatetime(new Date(created)),
      write_date: formatOdooDatetime(new Date(written)),
      create_uid: 2,
      write_uid: 2,
    });
  }
  return { categories, products };
}
