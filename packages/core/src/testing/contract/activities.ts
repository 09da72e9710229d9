/**
 * The activity contract: the cases of the activity ports.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Activity, ActivityPorts } from '../../ports.js';
import type { ActivityHarness, ContractOptions } from '../harness.js';
import { activity, at, collectPages, expectCode } from './fixtures.js';
import { type CaseContext, runContract } from './runner.js';

const ids = (page: { items: Activity[] }): string[] => page.items.map((a) => a.id);

async function collect(iterable: AsyncIterable<Activity>): Promise<Activity[]> {
  const out: Activity[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

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
        activity('a2', 5, { userId: 'u2', activityType: 'call', source: 'odoo' }),
        activity('a3', 10, { entityId: '43' }),
      ]);
      await store.appendActivities([activity('a1', 0, { title: 'changed' })]);
      const all = await store.queryActivities();
      expect(ids(all)).toEqual(['a3', 'a2', 'a1']);
      expect(all.items[2]).toEqual(activity('a1', 0));
      expect(all.items[1]?.source).toBe('odoo');
      expect(ids(await store.queryActivities({ userId: 'u2' }))).toEqual(['a2']);
      expect(ids(await store.queryActivities({ activityType: 'opportunity_updated' }))).toEqual(['a3', 'a1']);
      expect(ids(await store.queryActivities({ entityType: 'opportunity', entityId: '42' }))).toEqual(['a2', 'a1']);
      expect(ids(await store.queryActivities({ from: at(5), to: at(10) }))).toEqual(['a2']);
    });

    it('filters by several types, source, entity type and title text, all together', async () => {
      await store.appendActivities([
        activity('b1', 1, { activityType: 'call', source: 'odoo', title: 'Call: Quarterly REVIEW' }),
        activity('b2', 2, { activityType: 'meeting', source: 'odoo', title: 'Meeting with Müller', entityType: 'account', entityId: '7' }),
        activity('b3', 3, { activityType: 'opportunity_won', title: 'Won opportunity: 100% _literal_ deal' }),
        activity('b4', 4, { activityType: 'note', source: 'odoo', title: 'Note on review', userId: 'u9' }),
        activity('b5', 5, { activityType: 'account_viewed_360', title: 'Viewed account: Acme', entityType: 'account', entityId: '8' }),
      ]);
      expect(ids(await store.queryActivities({ activityType: ['call', 'meeting', 'note'] }))).toEqual(['b4', 'b2', 'b1']);
      expect(ids(await store.queryActivities({ activityType: ['meeting'] }))).toEqual(['b2']);
      expect(ids(await store.queryActivities({ source: 'odoo' }))).toEqual(['b4', 'b2', 'b1']);
      expect(ids(await store.queryActivities({ source: 'app' }))).toEqual(['b5', 'b3']);
      expect(ids(await store.queryActivities({ entityType: 'account' }))).toEqual(['b5', 'b2']);
      expect(ids(await store.queryActivities({ titleContains: 'review' }))).toEqual(['b4', 'b1']);
      expect(ids(await store.queryActivities({ titleContains: '  Review ' }))).toEqual(['b4', 'b1']);
      expect(ids(await store.queryActivities({ titleContains: '100%' }))).toEqual(['b3']);
      expect(ids(await store.queryActivities({ titleContains: '_l' }))).toEqual(['b3']);
      expect(ids(await store.queryActivities({ titleContains: '%' }))).toEqual(['b3']);
      expect(ids(await store.queryActivities({ titleContains: 'MÜLLER' }))).toEqual(['b2']);
      expect(
        ids(await store.queryActivities({ activityType: ['call', 'note', 'meeting'], source: 'odoo', titleContains: 'review', from: at(2) })),
      ).toEqual(['b4']);
      expect(ids(await store.queryActivities({ activityType: ['call', 'meeting'], limit: 1 }))).toEqual(['b2']);
    });

    it('pages with a stable cursor while activities are appended, ties broken by id', async () => {
      // Three share one instant, so a page boundary falls inside the tie.
      await store.appendActivities([
        ...Array.from({ length: 9 }, (_, i) => activity(`c${String(i).padStart(2, '0')}`, i)),
        activity('c09a', 9),
        activity('c09b', 9),
        activity('c09c', 9),
      ]);
      const seen: string[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        const page = await store.queryActivities({ limit: 4, cursor });
        seen.push(...ids(page));
        cursor = page.nextCursor;
        // Someone keeps working while the client pages: newer activities land.
        await store.appendActivities([activity(`new${round}`, 100 + round)]);
        round++;
      } while (cursor !== null);
      expect(seen).toEqual(['c09c', 'c09b', 'c09a', 'c08', 'c07', 'c06', 'c05', 'c04', 'c03', 'c02', 'c01', 'c00']);
      const filtered = await collectPages((next) => store.queryActivities({ limit: 2, cursor: next, userId: 'u1', from: at(7), to: at(50) }));
      expect(filtered.flat().map((a) => a.id)).toEqual(['c09c', 'c09b', 'c09a', 'c08', 'c07']);
    });

    it('shows a person their own activities and those on readable records, paged in the query', async () => {
      const user = (id: string, minutes: number, userId: string) =>
        activity(id, minutes, { activityType: 'user_signed_in', entityType: 'user', entityId: userId, userId });
      await store.appendActivities([
        user('v01', 1, 'me'),
        user('v02', 2, 'other'),
        activity('v03', 3, { userId: 'other' }),
        activity('v04', 4, { userId: 'me' }),
        activity('v05', 5, { userId: 'other', activityType: 'call', source: 'odoo', entityType: 'account', entityId: '7' }),
        activity('v06', 6, { userId: null, activityType: 'note', source: 'odoo', entityType: 'account', entityId: '8' }),
        activity('v07', 7, { userId: 'other', activityType: 'api_key_created', entityType: 'api_key', entityId: 'k1' }),
        activity('v08', 8, { userId: 'me', activityType: 'api_key_created', entityType: 'api_key', entityId: 'k2' }),
        user('v09', 9, 'other'),
        activity('v10', 10, { userId: null, entityType: null, entityId: null }),
      ]);
      const visibleTo = { userId: 'me', entityTypes: ['opportunity', 'account'] };
      expect(ids(await store.queryActivities({ visibleTo }))).toEqual(['v08', 'v06', 'v05', 'v04', 'v03', 'v01']);
      // Pages are full and the cursor stable: the filter is part of the query, not applied after it.
      const pages = await collectPages((cursor) => store.queryActivities({ visibleTo, limit: 2, cursor }));
      expect(pages.map((page) => page.map((a) => a.id))).toEqual([['v08', 'v06'], ['v05', 'v04'], ['v03', 'v01']]);
      expect(ids(await store.queryActivities({ visibleTo: { userId: 'me', entityTypes: [] } }))).toEqual(['v08', 'v04', 'v01']);
      expect(ids(await store.queryActivities({ visibleTo, activityType: ['call', 'user_signed_in', 'api_key_created'] }))).toEqual(['v08', 'v05', 'v01']);
      expect(ids(await store.queryActivities({ visibleTo, userId: 'other' }))).toEqual(['v05', 'v03']);
      expect(ids(await store.queryActivities({ visibleTo, entityType: 'account', source: 'odoo' }))).toEqual(['v06', 'v05']);
      expect((await collect(store.streamActivities({ visibleTo }))).map((a) => a.id)).toEqual(['v08', 'v06', 'v05', 'v04', 'v03', 'v01']);
      await expectCode(store.queryActivities({ visibleTo: { userId: '', entityTypes: [] } }), 'input_invalid');
      await expectCode(store.queryActivities({ visibleTo: { userId: 'me', entityTypes: [''] } }), 'input_invalid');
    });

    it('rejects bad queries with input_invalid', async () => {
      await expectCode(store.queryActivities({ limit: 201 }), 'input_invalid');
      await expectCode(store.queryActivities({ limit: 0 }), 'input_invalid');
      await expectCode(store.queryActivities({ cursor: 'not-a-cursor' }), 'input_invalid');
      await expectCode(store.queryActivities({ cursor: Buffer.from('["nope","x"]').toString('base64url') }), 'input_invalid');
      await expectCode(store.queryActivities({ activityType: [] }), 'input_invalid');
      await expectCode(store.queryActivities({ from: new Date('garbage') }), 'input_invalid');
      await expectCode(store.queryActivities({ titleContains: '   ' }), 'input_invalid');
      await expectCode(store.queryActivities({ source: 'crm' as never }), 'input_invalid');
      expect((await store.queryActivities({ limit: 200 })).items).toEqual([]);
    });

    it('streams every match newest first, across its internal pages', async () => {
      const total = 1_100;
      const batch = Array.from({ length: total }, (_, i) =>
        activity(`s${String(i).padStart(5, '0')}`, i, { activityType: i % 2 === 0 ? 'call' : 'note', source: 'odoo' }),
      );
      await store.appendActivities(batch);
      const calls = await collect(store.streamActivities({ activityType: 'call' }));
      expect(calls).toHaveLength(total / 2);
      expect(calls[0]?.id).toBe('s01098');
      expect(calls.at(-1)?.id).toBe('s00000');
      expect(new Set(calls.map((a) => a.id)).size).toBe(total / 2);
      expect(calls.every((a, i) => i === 0 || Date.parse(a.timestamp) < Date.parse(calls[i - 1]?.timestamp ?? ''))).toBe(true);
      expect(await collect(store.streamActivities({ userId: 'nobody' }))).toEqual([]);
      await expectCode(collect(store.streamActivities({ source: 'crm' as never })), 'input_invalid');
    });

    it('purges old activities', async () => {
      await store.appendActivities(Array.from({ length: 12 }, (_, i) => activity(`a${String(i).padStart(2, '0')}`, i)));
      const pages = await collectPages((cursor) => store.queryActivities({ limit: 5, cursor }));
      expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
      expect(pages.flat()[0]?.id).toBe('a11');
      expect(await store.purgeActivities(at(6))).toBe(6);
      expect(await store.purgeActivities(at(6))).toBe(0);
      expect(ids(await store.queryActivities({ limit: 100 }))).toEqual(['a11', 'a10', 'a09', 'a08', 'a07', 'a06']);
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
