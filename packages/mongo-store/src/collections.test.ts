import { ENTITY_NAMES, ENTITY_SPECS } from '@odoo-sync/core';
import { describe, expect, it } from 'vitest';
import { RELATION_INDEX_FIELDS, indexesOf, mongoCollectionNames } from './collections.js';

describe('collections and indexes', () => {
  it('indexes only relation fields the entity really has', () => {
    for (const entity of ENTITY_NAMES) {
      const shape = (ENTITY_SPECS[entity].schema as unknown as { shape: Record<string, unknown> }).shape;
      for (const field of RELATION_INDEX_FIELDS[entity] ?? []) expect(Object.keys(shape), `${entity}.${field}`).toContain(field);
    }
  });

  it('gives every collection distinct index names and a unique odooId per entity', () => {
    for (const name of mongoCollectionNames()) {
      const names = indexesOf(name, { activitiesDays: 1, syncLogsDays: 1 }).map((spec) => spec.name);
      expect(new Set(names).size, name).toBe(names.length);
    }
    for (const entity of ENTITY_NAMES) expect(indexesOf(entity)[0]).toEqual({ name: 'odooId_unique', key: { odooId: 1 }, unique: true });
  });

  it('adds TTL indexes only when a retention is set', () => {
    expect(indexesOf('activities').some((spec) => spec.expireAfterSeconds !== undefined)).toBe(false);
    expect(indexesOf('activities', { activitiesDays: 365 }).find((spec) => spec.expireAfterSeconds !== undefined)).toMatchObject({
      key: { timestamp: 1 },
      expireAfterSeconds: 365 * 86_400,
    });
  });
});
