import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNames } from '../../../scripts/export-names.js';

const src = (file: string): string => resolve(import.meta.dirname, '../src', file);

// Growing a public surface is a decision: these snapshots change with it, in review.
describe('public surface of @odoo-sync/odoo-sim', () => {
  it('names every export explicitly', async () => {
    const names = exportNames(src('index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "DEFAULT_COUNTS",
        "generateDataset",
        "OdooSimError",
        "startOdooSim",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "AccountMoveRow",
        "BaseRow",
        "CrmLeadRow",
        "CrmStageRow",
        "Dataset",
        "DatasetCounts",
        "DatasetModels",
        "DropFraming",
        "DropOptions",
        "GenerateDatasetOptions",
        "HrEmployeeRow",
        "IrModelRow",
        "MailActivityRow",
        "MailActivityTypeRow",
        "MailMessageRow",
        "MailMessageSubtypeRow",
        "NamedRow",
        "OdooRecord",
        "OdooSim",
        "OdooSimErrorKind",
        "OdooSimFaults",
        "OdooSimOptions",
        "OdooSimStats",
        "OdooSimUser",
        "OdooValue",
        "OdooVersion",
        "ResPartnerRow",
        "ResUsersRow",
        "SimSearchReadOptions",
      ]
    `);
  });
});
