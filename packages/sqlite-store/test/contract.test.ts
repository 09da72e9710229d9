import { CONTRACT_ENTITY, runStoreContract } from '@odoo-sync/core/testing';
import { SqliteStore } from '../src/index.js';
import { sqlInspector, tempDatabase } from './helpers.js';
import { sqliteStoreTests } from './sqlite-store-cases.js';

runStoreContract(
  'sqlite-store',
  async () => {
    const { path, remove } = tempDatabase();
    const store = new SqliteStore({ path, entities: [CONTRACT_ENTITY] });
    const siblings: SqliteStore[] = [];
    return {
      store,
      inspect: sqlInspector(path),
      openSibling: async () => {
        const sibling = new SqliteStore({ path });
        siblings.push(sibling);
        return sibling;
      },
      cleanup: async () => {
        for (const sibling of siblings) await sibling.close();
        await store.close();
        remove();
      },
    };
  },
  { capabilities: { exclusiveLocks: true }, additionalTests: sqliteStoreTests },
);
