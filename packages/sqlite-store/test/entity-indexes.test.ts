import Database from 'better-sqlite3';
import { EntityDefinitionError } from '@odoo-sync/core/errors';
import { defineEntity } from '@odoo-sync/core/entities';
import { CONTRACT_ENTITY } from '@odoo-sync/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { compileRecordQuery } from '../src/record-query.js';
import { tempDatabase } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(entities = [CONTRACT_ENTITY]) {
  const { path, remove } = tempDatabase();
  cleanups.push(remove);
  const store = new SqliteStore({ path, entities });
  cleanups.push(() => store.close());
  return { path, store };
}

function indexesOf(path: string): Array<{ name: string; sql: string }> {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'records\\_\\_%' ESCAPE '\\' ORDER BY name`).all() as Array<{ name: string; sql: string }>;
  } finally {
    db.close();
  }
}

describe('indexes declared by entity definitions', () => {
  it('creates a named partial expression index per declared index, once', async () => {
    const { path, store } = open();
    expect(indexesOf(path)).toEqual([
      {
        name: 'records__contract_product__categId_id',
        sql: `CREATE INDEX "records__contract_product__categId_id" ON records (entity, json_extract(data, '$.categId.id'), odoo_id) WHERE entity = 'contract_product'`,
      },
    ]);
    await store.close();
    const again = new SqliteStore({ path, entities: [CONTRACT_ENTITY] });
    cleanups.push(() => again.close());
    expect(indexesOf(path)).toHaveLength(1);
  });

  it('lets SQLite answer a query on a declared path from that index', async () => {
    const { path, store } = open();
    await store.upsertRecords('contract_product', [], new Date());
    const query = compileRecordQuery('contract_product', { where: { 'categId.id': 2 } }, new Set(['categId.id']));
    const db = new Database(path, { readonly: true });
    try {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as Array<{ detail: string }>;
      expect(plan.map((row) => row.detail).join('\n')).toContain('records__contract_product__categId_id');
    } finally {
      db.close();
    }
  });

  it('refuses invalid definitions with a typed error before opening', () => {
    const { path, remove } = tempDatabase();
    cleanups.push(remove);
    const twin = defineEntity({ ...CONTRACT_ENTITY, label: 'Twin' });
    expect(() => new SqliteStore({ path, entities: [CONTRACT_ENTITY, twin] })).toThrow(EntityDefinitionError);
  });
});
