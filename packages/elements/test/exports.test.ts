import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNames } from '../../../scripts/export-names.js';

const src = (file: string): string => resolve(import.meta.dirname, '../src', file);

// Growing a public surface is a decision: these snapshots change with it, in review.
describe('public surface of @odoo-sync/elements', () => {
  it('names every export explicitly', async () => {
    const names = exportNames(src('index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "activityTypeLabel",
        "CSRF_HEADER",
        "CSRF_META_NAME",
        "csrfTokenFromDocument",
        "defineOdooSyncElements",
        "ELEMENT_TAGS",
        "errorBox",
        "errorFromAnswer",
        "exactTime",
        "formatDuration",
        "healthVerdict",
        "OdooSyncAdminKeys",
        "OdooSyncAdminPeople",
        "OdooSyncAdminSync",
        "OdooSyncApi",
        "OdooSyncApiError",
        "OdooSyncElement",
        "OdooSyncHealth",
        "OdooSyncProfile",
        "OdooSyncRecords",
        "OdooSyncTimeline",
        "REAUTH_EVENT",
        "relativeTime",
        "summarizeRuns",
        "themeStyles",
        "TickController",
        "timeTag",
        "withQuery",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "Activity",
        "ActivityPage",
        "ClientProblemCode",
        "CurrentUser",
        "EntitySyncStatus",
        "HealthState",
        "HealthVerdict",
        "OdooSyncApiOptions",
        "QueryValues",
        "ReauthDetail",
        "RequestOptions",
        "RunSummary",
        "SyncErrorSummary",
        "SyncLogEntry",
        "SyncStatus",
        "TimeFormatOptions",
        "TimelineFilters",
      ]
    `);
  });

  it('@odoo-sync/elements/define: defines the tags', async () => {
    const names = exportNames(src('define.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/define.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "ELEMENT_TAGS",
      ]
    `);
  });

  it('@odoo-sync/elements/bundle: where the browser bundle is', async () => {
    const names = exportNames(src('bundle.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/bundle.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "browserBundlePath",
        "BUNDLE_FILE",
      ]
    `);
  });
});
