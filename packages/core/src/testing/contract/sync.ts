/**
 * The sync contract: the cases of the sync ports (records, sync logs, settings and leases),
 * which every store the Reconciler and SyncScheduler write to must pass.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { RecordWrite } from '../../model.js';
import type { SyncPorts } from '../../ports.js';
import type { ContractOptions, SyncHarness } from '../harness.js';
import { at, collectPages, contactWrite, expectCode, logEntry, T0 } from './fixtures.js';
import { type CaseContext, runContract } from './runner.js';
import { defineCustomEntityCases } from './entities.js';

/** Registers the cases of the sync ports (`RecordStore`, `SyncLogStore`, `SettingsStore`, `LockStore`). */
export function defineSyncCases(context: CaseContext<SyncHarness>): void {
  const { siblings, exclusive } = context;
  let harness: SyncHarness;
  let store: SyncPorts;
  context.onHarness((fresh) => {
    harness = fresh;
    store = fresh.store;
  });

  describe('RecordStore', () => {
    it('inserts records with their envelope and stores them for real', async () => {
      const write = contactWrite(7);
      await store.upsertRecords('contact', [write], at(5));
      const record = await store.getRecord('contact', 7);
      expect(record).toMatchObject({
        entity: 'contact',
        odooId: 7,
        data: write.data,
        hash: write.hash,
        isActive: true,
        inactiveReason: null,
        odooWriteDate: write.odooWriteDate,
        firstSyncedAt: at(5).toISOString(),
        lastSyncedAt: at(5).toISOString(),
        deletedAt: null,
      });
      expect(await harness.inspect.rawRecord('contact', 7)).not.toBeNull();
      expect(await harness.inspect.rawRecord('contact', 8)).toBeNull();
    });

    it('returns null for a record that is not stored', async () => {
      expect(await store.getRecord('contact', 123)).toBeNull();
    });

    it('is idempotent: the same batch twice leaves the same records', async () => {
      const writes = [contactWrite(1), contactWrite(2), contactWrite(3)];
      await store.upsertRecords('contact', writes, at(1));
      await store.upsertRecords('contact', writes, at(1));
      const page = await store.queryRecords('contact', { limit: 10 });
      expect(page.items.map((r) => r.odooId)).toEqual([1, 2, 3]);
      expect(page.items.map((r) => r.data)).toEqual(writes.map((w) => w.data));
    });

    it('replaces data on update and keeps firstSyncedAt', async () => {
      await store.upsertRecords('contact', [contactWrite(1)], at(1));
      const changed = contactWrite(1, { email: 'new@example.com' });
      await store.upsertRecords('contact', [changed], at(9));
      const record = await store.getRecord('contact', 1);
      expect(record?.data).toEqual(changed.data);
      expect(record?.hash).toBe(changed.hash);
      expect(record?.firstSyncedAt).toBe(at(1).toISOString());
      expect(record?.lastSyncedAt).toBe(at(9).toISOString());
    });

    it('does not touch records outside the batch, nor other entities with the same id', async () => {
      await store.upsertRecords('contact', [contactWrite(1), contactWrite(2)], at(1));
      const account = { ...contactWrite(1), data: { odooId: 1, name: 'Acme' } } as unknown as RecordWrite;
      await store.upsertRecords('account', [account], at(2));
      await store.upsertRecords('contact', [contactWrite(2, { name: 'Changed' })], at(3));
      expect((await store.getRecord('contact', 1))?.data).toEqual(contactWrite(1).data);
      expect((await store.getRecord('contact', 1))?.lastSyncedAt).toBe(at(1).toISOString());
      expect((await store.getRecord('account', 1))?.data).toEqual({ odooId: 1, name: 'Acme' });
    });

    it('round-trips unicode, nulls, floats and nested values exactly', async () => {
      const write = contactWrite(5, { name: 'Zoë Ångström-Nuñez 😀 "quoted" \\ back', phone: null, city: '東京' });
      await store.upsertRecords('contact', [write], at());
      expect((await store.getRecord('contact', 5))?.data).toEqual(write.data);
      const opportunity = {
        odooId: 9,
        data: { odooId: 9, probability: 33.33, expectedRevenue: 1234567.89, userId: null, nested: [1, 'two', null] },
        hash: 'h9',
        isActive: true,
        inactiveReason: null,
        odooWriteDate: null,
      } as unknown as RecordWrite;
      await store.upsertRecords('opportunity', [opportunity], at());
      expect((await store.getRecord('opportunity', 9))?.data).toEqual(opportunity.data);
    });

    it('reports stored states for the ids asked, in any state, and nothing for unknown ids', async () => {
      await store.upsertRecords('contact', [contactWrite(1), contactWrite(2, {}, false)], at());
      await store.upsertRecords('contact', [contactWrite(3)], at());
      await store.markDeleted('contact', [3], at(1));
      const states = await store.getStates('contact', [1, 2, 3, 4]);
      expect([...states.keys()].sort()).toEqual([1, 2, 3]);
      expect(states.get(1)).toEqual({ hash: contactWrite(1).hash, isActive: true, inactiveReason: null });
      expect(states.get(2)).toEqual({ hash: contactWrite(2).hash, isActive: false, inactiveReason: 'archived' });
      expect(states.get(3)).toEqual({ hash: contactWrite(3).hash, isActive: false, inactiveReason: 'deleted' });
      expect((await store.getStates('contact', [])).size).toBe(0);
    });

    it('handles large batches and large id lists', async () => {
      const writes = Array.from({ length: 2500 }, (_, i) => contactWrite(i + 1));
      await store.upsertRecords('contact', writes, at());
      const states = await store.getStates('contact', writes.map((w) => w.odooId));
      expect(states.size).toBe(2500);
      expect((await store.listLiveIds('contact')).length).toBe(2500);
    });

    it('stores archived records inactive with reason archived', async () => {
      await store.upsertRecords('contact', [contactWrite(4, {}, false)], at());
      expect(await store.getRecord('contact', 4)).toMatchObject({ isActive: false, inactiveReason: 'archived', deletedAt: null });
    });

    it('marks deletions without losing data, ignores unknown ids and keeps the first deletedAt', async () => {
      await store.upsertRecords('contact', [contactWrite(1), contactWrite(2)], at());
      expect(await store.markDeleted('contact', [1, 99], at(3))).toBe(1);
      expect(await store.markDeleted('contact', [1], at(8))).toBe(0);
      const record = await store.getRecord('contact', 1);
      expect(record).toMatchObject({ isActive: false, inactiveReason: 'deleted', deletedAt: at(3).toISOString() });
      expect(record?.data).toEqual(contactWrite(1).data);
      expect((await store.getRecord('contact', 2))?.isActive).toBe(true);
    });

    it('clears deletion when a deleted record is written again (reactivation)', async () => {
      await store.upsertRecords('contact', [contactWrite(1)], at());
      await store.markDeleted('contact', [1], at(1));
      await store.upsertRecords('contact', [contactWrite(1)], at(2));
      expect(await store.getRecord('contact', 1)).toMatchObject({ isActive: true, inactiveReason: null, deletedAt: null });
    });

    it('lists live ids (active and archived, not deleted) in ascending order', async () => {
      await store.upsertRecords('contact', [contactWrite(30), contactWrite(10), contactWrite(20, {}, false)], at());
      await store.markDeleted('contact', [30], at(1));
      expect(await store.listLiveIds('contact')).toEqual([10, 20]);
      expect(await store.listLiveIds('account')).toEqual([]);
    });

    it('counts records by state', async () => {
      await store.upsertRecords('contact', [contactWrite(1), contactWrite(2), contactWrite(3, {}, false)], at());
      await store.markDeleted('contact', [2], at(1));
      expect(await store.countRecords('contact')).toEqual({ active: 1, archived: 1, deleted: 1 });
      expect(await store.countRecords('invoice')).toEqual({ active: 0, archived: 0, deleted: 0 });
    });

    it('queries active records by default and inactive ones on request', async () => {
      await store.upsertRecords('contact', [contactWrite(1), contactWrite(2, {}, false), contactWrite(3)], at());
      await store.markDeleted('contact', [3], at(1));
      expect((await store.queryRecords('contact')).items.map((r) => r.odooId)).toEqual([1]);
      const all = await store.queryRecords('contact', { includeInactive: true });
      expect(all.items.map((r) => [r.odooId, r.inactiveReason])).toEqual([
        [1, null],
        [2, 'archived'],
        [3, 'deleted'],
      ]);
    });

    it('filters by equality on dotted paths, including null', async () => {
      await store.upsertRecords(
        'contact',
        [
          contactWrite(1, { parentId: { id: 50, name: 'Acme' } }),
          contactWrite(2, { parentId: { id: 51, name: 'Beta' } }),
          contactWrite(3, { parentId: null }),
          contactWrite(4, { parentId: { id: 50, name: 'Acme' }, function: null }),
        ],
        at(),
      );
      const byParent = await store.queryRecords('contact', { where: { 'parentId.id': 50 } });
      expect(byParent.items.map((r) => r.odooId)).toEqual([1, 4]);
      const combined = await store.queryRecords('contact', { where: { 'parentId.id': 50, function: 'Buyer' } });
      expect(combined.items.map((r) => r.odooId)).toEqual([1]);
      const noFunction = await store.queryRecords('contact', { where: { function: null } });
      expect(noFunction.items.map((r) => r.odooId)).toEqual([4]);
    });

    it('rejects filter paths that are not dotted identifiers', async () => {
      await store.upsertRecords('contact', [contactWrite(1)], at());
      await expectCode(store.queryRecords('contact', { where: { "name') OR 1=1 --": 'x' } }), 'input_invalid');
      await expectCode(store.queryRecords('contact', { where: { 'a..b': 'x' } }), 'input_invalid');
    });

    it('searches case-insensitively across the given keys', async () => {
      await store.upsertRecords(
        'contact',
        [
          contactWrite(1, { name: 'Ana SOUZA', email: 'a@x.com' }),
          contactWrite(2, { name: 'Bob', email: 'ana.souza@x.com' }),
          contactWrite(3, { name: 'Carla', email: 'carla@x.com' }),
        ],
        at(),
      );
      const found = await store.queryRecords('contact', { search: { text: 'souza', keys: ['name', 'email'] } });
      expect(found.items.map((r) => r.odooId)).toEqual([1, 2]);
      const nameOnly = await store.queryRecords('contact', { search: { text: 'SOUZA', keys: ['name'] } });
      expect(nameOnly.items.map((r) => r.odooId)).toEqual([1]);
      const literal = await store.queryRecords('contact', { search: { text: '%', keys: ['name'] } });
      expect(literal.items).toEqual([]);
    });

    it('pages through records by odooId without gaps or repeats', async () => {
      await store.upsertRecords('contact', Array.from({ length: 120 }, (_, i) => contactWrite(120 - i)), at());
      const pages = await collectPages((cursor) => store.queryRecords('contact', { limit: 50, cursor }));
      expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
      expect(pages.flat().map((r) => r.odooId)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    });

    it('rejects a malformed cursor and a limit out of range', async () => {
      await expectCode(store.queryRecords('contact', { cursor: 'not-a-cursor' }), 'input_invalid');
      await expectCode(store.queryRecords('contact', { limit: 0 }), 'input_invalid');
      await expectCode(store.queryRecords('contact', { limit: 1001 }), 'input_invalid');
    });

    it('keeps a cursor per entity and clears it with null', async () => {
      expect(await store.getCursor('contact')).toBeNull();
      await store.setCursor('contact', '2026-03-01T08:00:00.000Z');
      await store.setCursor('account', '2026-02-01T08:00:00.000Z');
      expect(await store.getCursor('contact')).toBe('2026-03-01T08:00:00.000Z');
      await store.setCursor('contact', '2026-03-02T08:00:00.000Z');
      expect(await store.getCursor('contact')).toBe('2026-03-02T08:00:00.000Z');
      await store.setCursor('contact', null);
      expect(await store.getCursor('contact')).toBeNull();
      expect(await store.getCursor('account')).toBe('2026-02-01T08:00:00.000Z');
    });
  });

  defineCustomEntityCases(() => store);

  describe('SyncLogStore', () => {
    it('lists entries newest first with filters', async () => {
      await store.appendSyncLog(logEntry({ id: 'a', startedAt: at(0).toISOString() }));
      await store.appendSyncLog(logEntry({ id: 'b', startedAt: at(10).toISOString(), status: 'failed', runId: 'run-2' }));
      await store.appendSyncLog(logEntry({ id: 'c', startedAt: at(20).toISOString(), entity: 'account' }));
      expect((await store.listSyncLogs()).items.map((e) => e.id)).toEqual(['c', 'b', 'a']);
      expect((await store.listSyncLogs({ entity: 'contact' })).items.map((e) => e.id)).toEqual(['b', 'a']);
      expect((await store.listSyncLogs({ status: 'failed' })).items.map((e) => e.id)).toEqual(['b']);
      expect((await store.listSyncLogs({ runId: 'run-1' })).items.map((e) => e.id)).toEqual(['c', 'a']);
      expect((await store.listSyncLogs({ from: at(10), to: at(20) })).items.map((e) => e.id)).toEqual(['b']);
    });

    it('stores the whole entry', async () => {
      const entry = logEntry({
        id: 'full',
        status: 'failed',
        error: { code: 'odoo_transport_failed', message: 'HTTP 502', retryable: true },
        invalidRecords: [{ odooId: 5, reason: 'name: required' }],
        sweep: { ran: false, reason: 'counts_equal', sourceCount: 12, storedLive: 12, lastSweep: { at: at(-60).toISOString(), unstored: 0 } },
      });
      await store.appendSyncLog(entry);
      expect((await store.listSyncLogs()).items[0]).toEqual(entry);
      expect(await store.latestSyncLog('contact')).toEqual(entry);
    });

    it('replaces an entry appended twice with the same id', async () => {
      await store.appendSyncLog(logEntry({ id: 'x', status: 'failed' }));
      await store.appendSyncLog(logEntry({ id: 'x', status: 'success' }));
      const items = (await store.listSyncLogs()).items;
      expect(items).toHaveLength(1);
      expect(items[0]?.status).toBe('success');
    });

    it('pages newest first without gaps, ties on startedAt broken by id', async () => {
      for (let i = 0; i < 25; i++) {
        await store.appendSyncLog(logEntry({ id: `e${String(i).padStart(2, '0')}`, startedAt: at(Math.floor(i / 2)).toISOString() }));
      }
      const pages = await collectPages((cursor) => store.listSyncLogs({ limit: 10, cursor }));
      const ids = pages.flat().map((e) => e.id);
      expect(ids).toHaveLength(25);
      expect(new Set(ids).size).toBe(25);
      expect(ids[0]).toBe('e24');
      expect(ids.at(-1)).toBe('e00');
    });

    it('finds the latest entry of an entity, optionally by status', async () => {
      await store.appendSyncLog(logEntry({ id: 'a', startedAt: at(0).toISOString() }));
      await store.appendSyncLog(logEntry({ id: 'b', startedAt: at(5).toISOString(), status: 'failed' }));
      expect((await store.latestSyncLog('contact'))?.id).toBe('b');
      expect((await store.latestSyncLog('contact', 'success'))?.id).toBe('a');
      expect(await store.latestSyncLog('invoice')).toBeNull();
    });

    it('prunes entries older than a date', async () => {
      await store.appendSyncLog(logEntry({ id: 'old', startedAt: at(0).toISOString() }));
      await store.appendSyncLog(logEntry({ id: 'new', startedAt: at(60).toISOString() }));
      expect(await store.pruneSyncLogs(at(30))).toBe(1);
      expect((await store.listSyncLogs()).items.map((e) => e.id)).toEqual(['new']);
    });

    it('rejects a malformed cursor', async () => {
      await expectCode(store.listSyncLogs({ cursor: '%%%' }), 'input_invalid');
    });
  });

  describe('SettingsStore', () => {
    it('returns undefined for unknown keys and round-trips JSON values', async () => {
      expect(await store.getSetting('sync.intervalMinutes')).toBeUndefined();
      await store.setSetting('sync.intervalMinutes', 30);
      await store.setSetting('sync.health', { consecutiveFailures: 2, alerted: false, list: [1, 'a', null] });
      expect(await store.getSetting('sync.intervalMinutes')).toBe(30);
      expect(await store.getSetting('sync.health')).toEqual({ consecutiveFailures: 2, alerted: false, list: [1, 'a', null] });
      await store.setSetting('sync.intervalMinutes', 45);
      expect(await store.getSetting('sync.intervalMinutes')).toBe(45);
    });

    it('hands out copies: mutating a returned value changes nothing stored', async () => {
      await store.setSetting('k', { a: 1 });
      const value = (await store.getSetting('k')) as { a: number };
      value.a = 2;
      expect(await store.getSetting('k')).toEqual({ a: 1 });
    });
  });

  describe('LockStore', () => {
    it('grants a free lease and refuses it to another owner until it expires', async () => {
      const lease = await store.acquireLease('sync:contact', 'A', 30_000, at(0));
      expect(lease).toEqual({ name: 'sync:contact', owner: 'A', expiresAt: new Date(T0 + 30_000).toISOString() });
      expect(await store.acquireLease('sync:contact', 'B', 30_000, at(0.25))).toBeNull();
      expect((await store.getLease('sync:contact', at(0.25)))?.owner).toBe('A');
      const taken = await store.acquireLease('sync:contact', 'B', 30_000, new Date(T0 + 30_001));
      expect(taken?.owner).toBe('B');
    });

    it('lets the owner re-acquire (extend) its own lease', async () => {
      await store.acquireLease('l', 'A', 10_000, at(0));
      const again = await store.acquireLease('l', 'A', 10_000, new Date(T0 + 5_000));
      expect(again?.expiresAt).toBe(new Date(T0 + 15_000).toISOString());
    });

    it('renews only for the owner, and not after another owner took it', async () => {
      await store.acquireLease('l', 'A', 10_000, at(0));
      expect((await store.renewLease('l', 'A', 10_000, new Date(T0 + 8_000)))?.expiresAt).toBe(new Date(T0 + 18_000).toISOString());
      expect(await store.renewLease('l', 'B', 10_000, new Date(T0 + 8_000))).toBeNull();
      await store.acquireLease('l', 'B', 10_000, new Date(T0 + 19_000));
      expect(await store.renewLease('l', 'A', 10_000, new Date(T0 + 20_000))).toBeNull();
      expect(await store.renewLease('missing', 'A', 10_000, at(0))).toBeNull();
    });

    it('releases only for the owner, safely twice', async () => {
      await store.acquireLease('l', 'A', 10_000, at(0));
      expect(await store.releaseLease('l', 'B')).toBe(false);
      expect(await store.releaseLease('l', 'A')).toBe(true);
      expect(await store.releaseLease('l', 'A')).toBe(false);
      expect(await store.getLease('l', at(0))).toBeNull();
      expect((await store.acquireLease('l', 'B', 10_000, at(0)))?.owner).toBe('B');
    });

    it('does not report an expired lease', async () => {
      await store.acquireLease('l', 'A', 1_000, at(0));
      expect(await store.getLease('l', new Date(T0 + 1_001))).toBeNull();
    });

    it('takes over a lease only from the holder named (compare-and-set), expired or not', async () => {
      await store.acquireLease('l', 'dead', 60_000, at(0));
      // Not held by "someone-else": nothing changes.
      expect(await store.takeOverLease('l', 'someone-else', 'B', 60_000, at(0.1))).toBeNull();
      expect((await store.getLease('l', at(0.1)))?.owner).toBe('dead');
      const taken = await store.takeOverLease('l', 'dead', 'B', 60_000, at(0.1));
      expect(taken).toEqual({ name: 'l', owner: 'B', expiresAt: new Date(T0 + 6_000 + 60_000).toISOString() });
      expect((await store.getLease('l', at(0.2)))?.owner).toBe('B');
      // A second taker of the same dead holder finds it changed.
      expect(await store.takeOverLease('l', 'dead', 'C', 60_000, at(0.2))).toBeNull();
      expect(await store.renewLease('l', 'dead', 60_000, at(0.2))).toBeNull();
      expect((await store.getLease('l', at(0.2)))?.owner).toBe('B');
      // An expired lease of the holder named is taken over too; a missing one is not.
      await store.acquireLease('e', 'gone', 1_000, at(0));
      expect((await store.takeOverLease('e', 'gone', 'B', 1_000, new Date(T0 + 5_000)))?.owner).toBe('B');
      expect(await store.takeOverLease('missing', 'gone', 'B', 1_000, at(0))).toBeNull();
      expect(await store.getLease('missing', at(0))).toBeNull();
    });

    it.skipIf(!exclusive)('lets exactly one of many concurrent takers take over a dead holder', async () => {
      await store.acquireLease('dead-race', 'dead', 60_000, at(0));
      const owners = Array.from({ length: 12 }, (_, i) => `taker-${i}`);
      const results = await Promise.all(owners.map((owner) => store.takeOverLease('dead-race', 'dead', owner, 60_000, at(0.1))));
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect((await store.getLease('dead-race', at(0.1)))?.owner).toBe(winners[0]!.owner);
    });

    it.skipIf(!exclusive)('grants a contended free lease to exactly one of many concurrent owners', async () => {
      const owners = Array.from({ length: 12 }, (_, i) => `owner-${i}`);
      const results = await Promise.all(owners.map((owner) => store.acquireLease('race', owner, 30_000, at(0))));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it.skipIf(!exclusive)('grants a contended lease to exactly one of two store instances (replicas)', async () => {
      if (!harness.openSibling) return;
      const sibling = await harness.openSibling();
      siblings.push(sibling);
      for (let round = 0; round < 10; round++) {
        const name = `replica-race-${round}`;
        const [a, b] = await Promise.all([
          store.acquireLease(name, 'A', 30_000, at(0)),
          sibling.acquireLease(name, 'B', 30_000, at(0)),
        ]);
        expect([a, b].filter((r) => r !== null)).toHaveLength(1);
      }
    });
  });
}

/**
 * Runs the sync contract against the store `setup` makes: the store needs only the sync ports
 * ({@link @odoo-sync/core!SyncPorts | SyncPorts}) and a record inspector. Call it at the top
 * level of a test file. Each case gets a fresh, empty store; after it the suite calls the
 * store's `close()` when it has one, then the harness's `cleanup`.
 *
 * @example
 * ```ts
 * import { runSyncContract } from '@odoo-sync/core/testing';
 * runSyncContract('my store', async () => {
 *   const store = new MyStore();
 *   return { store, inspect: { rawRecord: (entity, id) => store.raw(entity, id) } };
 * });
 * ```
 */
export function runSyncContract(name: string, setup: () => Promise<SyncHarness>, options: ContractOptions<SyncHarness> = {}): void {
  runContract(`sync contract: ${name}`, setup, options, defineSyncCases);
}
