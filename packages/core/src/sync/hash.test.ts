import { describe, expect, it } from 'vitest';
import { ENTITY_NAMES, ENTITY_SPECS } from '../entities/entities.js';
import { canonicalJson, recordHasher, stableHash } from './hash.js';
import { camelCase } from '../entities/odoo-values.js';
import { createHash } from 'node:crypto';

/** The canonical JSON of earlier versions (a sorted copy, then JSON.stringify): stored hashes come from it. */
function previousCanonicalJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map((item) => (item === undefined ? null : sortKeys(item)));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) {
      const member = (v as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  };
  return JSON.stringify(sortKeys(value));
}
const previousHash = (value: unknown) => createHash('sha256').update(previousCanonicalJson(value)).digest('base64url');

const SAMPLES: unknown[] = [
  { odooId: 7, name: 'Zoë "Q" \\ Müller\n', email: null, parentId: { name: 'Acme', id: 3 }, tagIds: [3, 1, 2], isCompany: false },
  { b: undefined, a: [undefined, () => 1, Symbol('s'), null, { z: 1, y: [] }], c: { f: () => 1, e: undefined } },
  { when: new Date('2026-03-01T10:00:00Z'), n: -0, big: 1e21, small: 1e-7, nan: Number.NaN, inf: -Infinity },
  { '10': 'ten', '2': 'two', b: 1, a: { '1': 'x', y: 2 } },
  { 'é': 1, e: 2, E: 3, _: 4, ' ': 5, '\u2028': 6 },
  [1, 'two', [3, { b: 2, a: 1 }]],
  'a string',
  42,
  null,
  {},
  [],
];

describe('canonicalJson', () => {
  it('writes exactly what earlier versions wrote, so stored hashes still match', () => {
    for (const sample of SAMPLES) {
      expect(canonicalJson(sample)).toBe(previousCanonicalJson(sample));
      expect(stableHash(sample)).toBe(previousHash(sample));
    }
  });
});

describe('recordHasher', () => {
  it('gives stableHash for every entity record, whatever the key order', () => {
    for (const name of ENTITY_NAMES) {
      const spec = ENTITY_SPECS[name];
      const hash = recordHasher(['odooId', ...spec.fields.map((f) => camelCase(f.odoo))]);
      // A record as the mapper builds it: odooId first, then the fields in the spec's order.
      const record: Record<string, unknown> = { odooId: 12 };
      for (const field of spec.fields) {
        record[camelCase(field.odoo)] =
          field.kind === 'many2one' ? { id: 5, name: 'Five' } : field.kind === 'boolean' ? true : field.kind === 'number' ? 3.5 : field.kind === 'ids' ? [1, 2] : null;
      }
      const mapped = { record };
      const reversed = Object.fromEntries(Object.entries(mapped.record).reverse());
      expect(hash(mapped.record)).toBe(previousHash(mapped.record));
      expect(hash(reversed)).toBe(previousHash(mapped.record));
    }
  });

  it('falls back to the general hash for a record with other keys, and leaves out missing ones', () => {
    const hash = recordHasher(['odooId', 'name']);
    expect(hash({ odooId: 1, name: 'A', extra: { b: 1, a: 2 } })).toBe(previousHash({ odooId: 1, name: 'A', extra: { a: 2, b: 1 } }));
    expect(hash({ odooId: 1 })).toBe(previousHash({ odooId: 1 }));
    expect(hash({ odooId: 1, name: { name: 'n', id: 2, deep: { b: [1, { d: 1, c: undefined }], a: new Date(0) } } })).toBe(
      previousHash({ odooId: 1, name: { name: 'n', id: 2, deep: { b: [1, { d: 1, c: undefined }], a: new Date(0) } } }),
    );
    expect(hash({ odooId: 1, name: ['x', undefined, 3] })).toBe(previousHash({ odooId: 1, name: ['x', undefined, 3] }));
    expect(recordHasher(['odooId', '10', '2'])({ odooId: 1, '10': 'a', '2': 'b' })).toBe(previousHash({ odooId: 1, '10': 'a', '2': 'b' }));
    expect(hash({ odooId: 1, name: undefined })).toBe(previousHash({ odooId: 1 }));
  });
});
