/**
 * The activity contract: the cases of the activity ports.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { ActivityPorts } from '../../ports.js';
import type { ActivityHarness, ContractOptions } from '../harness.js';
import { activity, at, collectPages } from './fixtures.js';
import { type CaseContext, runContract } from './runner.js';

/** Registers the cases of `ActivityStore`. */
export function defineActivityCases(context: CaseContext<ActivityHarness>): void {
  let store: ActivityPorts;
  context.onHarness((fresh) => {
    store = fresh.store;
  });

  describe('ActivityStore', () => {
    it('appends idempotently and queries newest first with filters', async () => {
      await store.appendActivities([
        activity('a1', 0),
        activity('a2', 5, { userId: 'u2', activityType: 'call.logged' }),
        activity('a3', 10, { entityId: '43' }),
      ]);
      await store.appendActivities([activity('a1', 0, { title: 'changed' })]);
      const all = await store.queryActivities();
      expect(all.items.map((a) => a.id)).toEqual(['a3', 'a2', 'a1']);
      expect(all.items[2]).toEqual(activity('a1', 0));
      expect((await store.queryActivities({ userId: 'u2' })).items.map((a) => a.id)).toEqual(['a2']);
      expect((await store.queryActivities({ activityType: 'opportunity.viewed' })).items.map((a) => a.id)).toEqual(['a3', 'a1']);
      expect((await store.queryActivities({ entityType: 'opportunity', entityId: '42' })).items.map((a) => a.id)).toEqual(['a2', 'a1']);
      expect((await store.queryActivities({ from: at(5), to: at(10) })).items.map((a) => a.id)).toEqual(['a2']);
    });

    it('pages activities and purges old ones', async () => {
      await store.appendActivities(Array.from({ length: 12 }, (_, i) => activity(`a${String(i).padStart(2, '0')}`, i)));
      const pages = await collectPages((cursor) => store.queryActivities({ limit: 5, cursor }));
      expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
      expect(pages.flat()[0]?.id).toBe('a11');
      expect(await store.purgeActivities(at(6))).toBe(6);
      expect((await store.queryActivities({ limit: 100 })).items).toHaveLength(6);
    });
  });
}

/**
 * Runs the activity contract against the store `setup` makes: the store needs only the
 * activity ports ({@link @odoo-sync/core!ActivityPorts | ActivityPorts}). Call it at the top
 * level of a test file. Each case gets a fresh, empty store; after it the suite calls the
 * store's `close()` when it has one, then the harness's `cleanup`.
 */
export function runActivityContract(
  name: string,
  setup: () => Promise<ActivityHarness>,
  options: ContractOptions<ActivityHarness> = {},
): void {
  runContract(`activity contract: ${name}`, setup, options, defineActivityCases);
}
