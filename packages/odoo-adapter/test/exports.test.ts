import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNames } from '../../../scripts/export-names.js';

const src = (file: string): string => resolve(import.meta.dirname, '../src', file);

// Growing a public surface is a decision: these snapshots change with it, in review.
describe('public surface of @odoo-sync/odoo-adapter', () => {
  it('names every export explicitly', async () => {
    const names = exportNames(src('index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "ConfigError",
        "InputError",
        "isOdooSyncError",
        "OdooAccessError",
        "OdooAuthError",
        "OdooClient",
        "OdooModelNotFoundError",
        "OdooServerError",
        "OdooSource",
        "OdooSyncError",
        "OdooTransportError",
        "OdooValidationError",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "CallOptions",
        "FetchLike",
        "FieldsGetOptions",
        "OdooClientOptions",
        "OdooContext",
        "OdooFieldInfo",
        "OdooFields",
        "OdooProtocol",
        "OdooReference",
        "OdooSourceOptions",
        "OdooSyncErrorCode",
        "OdooValues",
        "OdooVersion",
        "ReadOptions",
        "RequestOptions",
        "SearchOptions",
        "SearchReadOptions",
      ]
    `);
  });
});
