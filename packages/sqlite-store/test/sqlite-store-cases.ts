/**
 * SQLite-specific cases, run inside the contract suite's `describe` (its `additionalTests`):
 * each one uses the fresh store and file the harness made.
 */
import { expect, it } from 'vitest';
import { MemoryStore } from '@odoo-sync/core';
import type { RecordQuery, SyncStore } from '@odoo-sync/core';
import type { ActivityQuery } from '@odoo-sync/core/store-kit';
import type { RecordWrite } from '@odoo-sync/core/store-kit';
import { checkActivityQuery, encodeCursor } from '@odoo-sync/core/store-kit';
import { contactWrite } from '@odoo-sync/core/testing';
import type { StoreHarness } from '@odoo-sync/core/testing';
import { SqliteStore } from '../src/index.js';
import { compileActivityQuery } from '../src/activity-query.js';
import { compileRecordQuery } from '../src/record-query.js';
import { withRawDatabase } from './helpers.js';

const AT = new Date('2026-03-01T08:00:00.000Z');

function pathOf(store: SyncStore): string {
  if (!(store instanceof SqliteStore)) throw new Error('expected a SqliteStore');
  return store.path;
}

/** Records with values of every JSON type at the same paths, to compare filter semantics. */
function mixedWrites(): RecordWrite[] {
  const rows: Array<Record<string, unknown>> = [
    { flag: true, n: 1, s: '1', obj: { id: 1 }, userId: { id: 5, name: 'Ana' }, name: 'Jürgen MÜLLER' },
    { flag: false, n: 0, s: 'x', obj: null, userId: { id: '5', name: 'Text five' }, name: 'ÅSA Öberg' },
    { flag: 1, n: true, s: 1, obj: '{"id":1}', userId: null, name: '100% _literal_' },
    { flag: null, n: 1.5, userId: { id: 6 }, name: 'İstanbul' },
    { n: -3, s: '', name: null },
    { userId: { id: true }, partnerId: { id: 7 }, parentId: [{ id: 7 }] },
    { userId: { id: { id: 5 } }, partnerId: { id: 7.5 }, parentId: 'x' },
    { userId: { id: 5.0 }, partnerId: { name: 'no id' }, parentId: { id: null } },
  ];
  return rows.map((data, i) => ({
    odooId: i + 1,
    data: { odooId: i + 1, ...data },
    hash: `h${i}`,
    isActive: true,
    inactiveReason: null,
    odooWriteDate: null,
  }));
}

const QUERIES: RecordQuery[] = [
  { where: { flag: true } },
  { where: { flag: false } },
  { where: { flag: 1 } },
  { where: { flag: null } },
  { where: { n: 1 } },
  { where: { n: true } },
  { where: { n: 1.5 } },
  { where: { n: -3 } },
  { where: { s: '1' } },
  { where: { s: 1 } },
  { where: { s: '' } },
  { where: { s: null } },
  { where: { obj: '{"id":1}' } },
  { where: { 'obj.id': 1 } },
  { where: { 'userId.id': 5 } },
  { where: { 'userId.id': '5' } },
  { where: { 'userId.id': null } },
  { where: { 'name.first': null } },
  { where: { missing: null, 'userId.id': 6 } },
  { where: { 'userId.id': 1 } },
  { where: { 'userId.id': true } },
  { where: { 'partnerId.id': 7 } },
  { where: { 'partnerId.id': 7.5 } },
  { where: { 'partnerId.id': null } },
  { where: { 'parentId.id': 7 } },
  { where: { 'parentId.id': null } },
  { where: { constructor: 'x', ['__proto__']: 'y', toString: 1 } },
  { search: { text: 'müller', keys: ['name'] } },
  { search: { text: 'åsa', keys: ['name', 'missing'] } },
  { search: { text: '  öBERG ', keys: ['name'] } },
  { search: { text: '100%', keys: ['name'] } },
  { search: { text: '_l', keys: ['name'] } },
  { search: { text: 'e', keys: ['userId.name'] } },
  { search: { text: 'e', keys: ['not a path', 'name'] } },
  { search: { text: 'e', keys: [] } },
  { search: { text: '   ', keys: ['name'] } },
  { search: { text: 'i̇stanbul', keys: ['name'] } },
];

export function sqliteStoreTests(getHarness: () => StoreHarness): void {
  it('filters and searches exactly like MemoryStore, JSON types included', async () => {
    const { store } = getHarness();
    const memory = new MemoryStore();
    await store.upsertRecords('opportunity', mixedWrites(), AT);
    await memory.upsertRecords('opportunity', mixedWrites(), AT);
    for (const query of QUERIES) {
      const expected = (await memory.queryRecords('opportunity', query)).items.map((r) => r.odooId);
      const actual = (await store.queryRecords('opportunity', query)).items.map((r) => r.odooId);
      expect({ query, ids: actual }).toEqual({ query, ids: expected });
    }
  });

  it('keeps the indexed paths of a rewritten record in step with its data', async () => {
    const { store, inspect } = getHarness();
    const memory = new MemoryStore();
    const write = (userId: unknown, partnerId: unknown): RecordWrite => ({
      odooId: 1,
      data: { odooId: 1, ...{ userId, partnerId } },
      hash: JSON.stringify([userId, partnerId]),
      isActive: true,
      inactiveReason: null,
      odooWriteDate: null,
    });
    const queries: RecordQuery[] = [
      { where: { 'userId.id': 5 } },
      { where: { 'userId.id': 6 } },
      { where: { 'userId.id': null } },
      { where: { 'partnerId.id': 7 } },
      { where: { 'partnerId.id': null } },
    ];
    for (const next of [write({ id: 5 }, { id: 7 }), write({ id: 6 }, null), write(null, { id: 7 })]) {
      await store.upsertRecords('opportunity', [next], AT);
      await memory.upsertRecords('opportunity', [next], AT);
      for (const query of queries) {
        const expected = (await memory.queryRecords('opportunity', query)).items.map((r) => r.odooId);
        const actual = (await store.queryRecords('opportunity', query)).items.map((r) => r.odooId);
        expect({ data: next.data, query, ids: actual }).toEqual({ data: next.data, query, ids: expected });
      }
    }
    // The values sit in columns of their own, so SQLite does not parse the JSON to index them.
    expect(await inspect.rawRecord('opportunity', 1)).toMatchObject({ user_id: null, partner_id: 7, parent_id: null });
  });

  it('walks indexes for the queries the API makes', async () => {
    const { store } = getHarness();
    const plans = (sql: string, params: unknown[]): string =>
      withRawDatabase(pathOf(store), (db) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail).join('\n'),
      );
    const compiled = (query: RecordQuery) => {
      const { sql, params } = compileRecordQuery('opportunity', query);
      return plans(sql, params);
    };
    expect(compiled({ where: { 'userId.id': 5 } })).toMatch(/USING INDEX records_user_id \(entity=\? AND user_id=\? AND odoo_id>\?\)/);
    expect(compiled({ where: { 'partnerId.id': 5 }, includeInactive: true })).toMatch(
      /USING INDEX records_partner_id \(entity=\? AND partner_id=\? AND odoo_id>\?\)/,
    );
    expect(compiled({ where: { 'parentId.id': 5 } })).toMatch(/USING INDEX records_parent_id \(entity=\? AND parent_id=\? AND odoo_id>\?\)/);
    expect(compiled({ where: { 'userId.id': 'x' } })).toMatch(/USING INDEX records_user_id \(entity=\? AND user_id=\? AND odoo_id>\?\)/);
    expect(compiled({})).toMatch(/USING (COVERING )?INDEX records_state/);
    expect(compiled({})).not.toMatch(/TEMP B-TREE/);
    expect(
      plans(`SELECT odoo_id FROM records WHERE entity = ? AND inactive_reason IS NOT 'deleted' ORDER BY odoo_id`, ['contact']),
    ).toMatch(/USING COVERING INDEX records_live/);
    expect(
      plans('SELECT hash FROM records WHERE entity = ? AND odoo_id IN (SELECT value FROM json_each(?))', ['contact', '[1,2]']),
    ).toMatch(/USING INDEX sqlite_autoindex_records_1/);
  });

  it('walks indexes for the activity queries the API makes, and seeks to the cursor', async () => {
    const { store } = getHarness();
    const plan = (query: ActivityQuery): string => {
      const { sql, params } = compileActivityQuery(checkActivityQuery(query));
      return withRawDatabase(pathOf(store), (db) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail).join('\n'),
      );
    };
    const cursor = encodeCursor(['2026-03-01T08:00:00.000Z', '01JF0000000000000000000000']);
    const cases: Array<[ActivityQuery, RegExp]> = [
      [{}, /SCAN activities USING INDEX activities_time/],
      [{ cursor }, /SEARCH activities USING INDEX activities_time \(\(timestamp_ms,id\)<\(\?,\?\)\)/],
      [{ activityType: 'call' }, /SEARCH activities USING INDEX activities_type \(activity_type=\?\)/],
      [{ activityType: 'call', cursor }, /USING INDEX activities_type \(activity_type=\? AND \(timestamp_ms,id\)<\(\?,\?\)\)/],
      [{ entityType: 'opportunity', entityId: '42' }, /USING INDEX activities_entity \(entity_type=\? AND entity_id=\?\)/],
      [{ entityType: 'opportunity', entityId: '42', cursor }, /USING INDEX activities_entity \(entity_type=\? AND entity_id=\? AND timestamp_ms<\?\)/],
      [{ userId: 'u1' }, /USING INDEX activities_user \(user_id=\?\)/],
      [{ userId: 'u1', cursor }, /USING INDEX activities_user \(user_id=\? AND \(timestamp_ms,id\)<\(\?,\?\)\)/],
      [{ source: 'odoo' }, /USING INDEX activities_source \(source=\?\)/],
      [{ from: AT, to: new Date(AT.getTime() + 86_400_000) }, /USING INDEX activities_time \(timestamp_ms>\? AND timestamp_ms<\?\)/],
      [{ titleContains: 'renewal' }, /SCAN activities USING INDEX activities_time/],
    ];
    for (const [query, expected] of cases) {
      const text = plan(query);
      expect({ query, plan: text }).toEqual({ query, plan: expect.stringMatching(expected) });
      // One record's activities come in time order from their index; only those of the same
      // millisecond are sorted by id (the index leaves the id out to stay small).
      const allowed = query.entityId === undefined ? /TEMP B-TREE|SCAN activities$/m : /TEMP B-TREE FOR (?!LAST TERM)|SCAN activities$/m;
      expect({ query, plan: text }).toEqual({ query, plan: expect.not.stringMatching(allowed) });
    }
    // What a person may see: their own (by user), and each readable entity type (by entity type).
    const visible = plan({ visibleTo: { userId: 'u1', entityTypes: ['opportunity', 'account'] }, cursor });
    expect(visible).toMatch(/SEARCH activities USING INDEX activities_user \(user_id=\? AND \(timestamp_ms,id\)<\(\?,\?\)\)/);
    expect(visible.match(/SEARCH activities USING INDEX activities_entity_type \(entity_type=\? AND \(timestamp_ms,id\)<\(\?,\?\)\)/g)).toHaveLength(2);
    expect(visible).not.toMatch(/SCAN activities$/m);
    const visibleCalls = plan({ visibleTo: { userId: 'u1', entityTypes: ['account'] }, activityType: ['call', 'meeting'] });
    expect(visibleCalls.match(/SEARCH activities USING INDEX/g)).toHaveLength(4);
    expect(visibleCalls).not.toMatch(/SCAN activities$/m);
    // Several types of one record: each walk on the record's own index.
    const recordCalls = plan({ entityType: 'opportunity', entityId: '42', activityType: ['call', 'note'] });
    expect(recordCalls.match(/SEARCH activities USING INDEX activities_entity \(entity_type=\? AND entity_id=\?\)/g)).toHaveLength(2);
    expect(recordCalls).not.toMatch(/SCAN activities$/m);
    // Several types: one index walk per type, each reading at most a page, merged.
    const several = plan({ activityType: ['call', 'meeting', 'note'], cursor });
    expect(several.match(/SEARCH activities USING INDEX activities_type \(activity_type=\? AND \(timestamp_ms,id\)<\(\?,\?\)\)/g)).toHaveLength(3);
    expect(several).not.toMatch(/SCAN activities$/m);
  });

  it('rejects every call after close with a non-retryable store_error', async () => {
    const { store } = getHarness();
    await store.close();
    const calls: Array<() => Promise<unknown>> = [
      () => store.ping(),
      () => store.getStates('contact', [1]),
      () => store.upsertRecords('contact', [contactWrite(1)], AT),
      () => store.markDeleted('contact', [1], AT),
      () => store.listLiveIds('contact'),
      () => store.getRecord('contact', 1),
      () => store.queryRecords('contact'),
      () => store.countRecords('contact'),
      () => store.getCursor('contact'),
      () => store.setCursor('contact', null),
      () => store.appendSyncLog({} as never),
      () => store.listSyncLogs(),
      () => store.latestSyncLog('contact'),
      () => store.pruneSyncLogs(AT),
      () => store.getSetting('k'),
      () => store.setSetting('k', 1),
      () => store.acquireLease('l', 'A', 1000, AT),
      () => store.renewLease('l', 'A', 1000, AT),
      () => store.releaseLease('l', 'A'),
      () => store.getLease('l', AT),
      () => store.createUser({ id: 'u', email: 'e@x', name: 'n', role: 'user', status: 'pending' }, AT),
      () => store.getUser('u'),
      () => store.getUserByEmail('e@x'),
      () => store.updateUser('u', {}, AT),
      () => store.listUsers(),
      () => store.countUsers(),
      () => store.createApiKey({} as never),
      () => store.findApiKeyByHash('h'),
      () => store.listApiKeys('u'),
      () => store.touchApiKey('k', AT),
      () => store.revokeApiKey('k', AT),
      () => store.appendActivities([]),
      () => store.queryActivities(),
      () => store.purgeActivities(AT),
      () => store.getToken('k'),
      () => store.putToken('k', { blob: 'b', expiresAt: null }, null, AT),
      () => store.deleteToken('k'),
      () => store.listTokensExpiringBefore(AT, 1),
      () => (store as SqliteStore).backup(`${pathOf(store)}.bak`),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ code: 'store_error', retryable: false });
    }
  });

  it('wraps driver failures in store_error with the driver error as cause', async () => {
    const { store } = getHarness();
    // Another tool broke the schema under the store's feet.
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(pathOf(store));
    raw.exec('DROP TABLE settings');
    raw.close();
    const failure = await store.getSetting('k').catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'store_error', name: 'StoreError' });
    expect((failure as Error).cause).toMatchObject({ code: 'SQLITE_ERROR' });
  });

  it('applies a batch all or nothing', async () => {
    const { store } = getHarness();
    await store.upsertRecords('contact', [contactWrite(1)], AT);
    const unserialisable = { ...contactWrite(3), data: { odooId: 3, big: 10n } } as unknown as RecordWrite;
    await expect(
      store.upsertRecords('contact', [contactWrite(1, { name: 'changed' }), contactWrite(2), unserialisable], new Date(AT.getTime() + 1)),
    ).rejects.toMatchObject({ code: 'store_error' });
    expect(await store.listLiveIds('contact')).toEqual([1]);
    expect((await store.getRecord('contact', 1))?.data).toEqual(contactWrite(1).data);
  });

  it('writes batches larger than one multi-row statement like single rows: updates, undeletes, keeps first_synced_at', async () => {
    const { store } = getHarness();
    await store.upsertRecords('contact', Array.from({ length: 50 }, (_, i) => contactWrite(i + 1)), AT);
    await store.markDeleted('contact', [7], AT);
    const later = new Date(AT.getTime() + 60_000);
    // 1100 rows and one more: two statements of 512 rows, then 64 + 8 + 4 + 1; ids 1–50 exist
    // (7 deleted), one id comes twice.
    const batch = Array.from({ length: 1100 }, (_, i) => contactWrite(i + 1, { name: `Batch ${i + 1}` }));
    batch.push(contactWrite(120, { name: 'Last one wins' }));
    await store.upsertRecords('contact', batch, later);
    expect(await store.countRecords('contact')).toEqual({ active: 1100, archived: 0, deleted: 0 });
    expect(await store.getRecord('contact', 1099)).toMatchObject({ data: { name: 'Batch 1099' } });
    expect(await store.getRecord('contact', 7)).toMatchObject({ isActive: true, inactiveReason: null, deletedAt: null, data: { name: 'Batch 7' } });
    expect(await store.getRecord('contact', 3)).toMatchObject({ firstSyncedAt: AT.toISOString(), lastSyncedAt: later.toISOString() });
    expect(await store.getRecord('contact', 200)).toMatchObject({ firstSyncedAt: later.toISOString(), data: { name: 'Batch 200' } });
    expect((await store.getRecord('contact', 120))?.data).toMatchObject({ name: 'Last one wins' });
  });

  it('keeps everything across close and reopen of the file', async () => {
    const { store } = getHarness();
    const path = pathOf(store);
    await store.upsertRecords('contact', [contactWrite(1), contactWrite(2, {}, false)], AT);
    await store.markDeleted('contact', [2], AT);
    await store.setCursor('contact', AT.toISOString());
    await store.setSetting('sync.intervalMinutes', 30);
    await store.createUser({ id: 'u1', email: 'ana@example.com', name: 'Ana', role: 'admin', status: 'approved' }, AT);
    await store.putToken('u1', { blob: 'cipher', expiresAt: null }, null, AT);
    await store.close();
    const reopened = new SqliteStore(path);
    try {
      expect(await reopened.getRecord('contact', 1)).toMatchObject({ data: contactWrite(1).data, isActive: true });
      expect(await reopened.countRecords('contact')).toEqual({ active: 1, archived: 0, deleted: 1 });
      expect(await reopened.getCursor('contact')).toBe(AT.toISOString());
      expect(await reopened.getSetting('sync.intervalMinutes')).toBe(30);
      expect((await reopened.getUserByEmail('ANA@example.com'))?.id).toBe('u1');
      expect((await reopened.getToken('u1'))?.version).toBe(1);
    } finally {
      await reopened.close();
    }
  });

  it('backs up a consistent copy while in use', async () => {
    const { store } = getHarness();
    await store.upsertRecords('contact', Array.from({ length: 50 }, (_, i) => contactWrite(i + 1)), AT);
    const copy = `${pathOf(store)}.backup`;
    await (store as SqliteStore).backup(copy);
    const restored = new SqliteStore(copy);
    try {
      expect((await restored.listLiveIds('contact')).length).toBe(50);
      expect(await restored.getRecord('contact', 50)).toEqual(await store.getRecord('contact', 50));
    } finally {
      await restored.close();
    }
  });

  it('runs in WAL mode', async () => {
    const { store } = getHarness();
    await store.ping();
    expect(withRawDatabase(pathOf(store), (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });
}
