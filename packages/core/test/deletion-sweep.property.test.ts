/**
 * Property: whatever Odoo does between runs (and between a run's read and its count), an
 * incremental run that skips the deletion sweep has nothing to find. After every run in which
 * nothing happened between the read and the count, every live stored record is in Odoo's
 * domain and every valid Odoo row is stored live; a run in which something did happen there
 * is put right by the next one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import type { SourceQuery, SourceReader } from '../src/ports.js';
import { Reconciler } from '../src/sync/reconciler.js';
import { ENTITY_SPECS } from '../src/entities/entities.js';

type Op =
  | { kind: 'create'; valid: boolean }
  | { kind: 'update' | 'archive' | 'unarchive' | 'delete' | 'leave' | 'break' | 'fix'; pick: number }
  | { kind: 'tick'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), valid: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('update' as const, 'archive' as const, 'unarchive' as const, 'delete' as const, 'leave' as const, 'break' as const, 'fix' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(400, 1000, 60_000, 3_600_000) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
);

const step = fc.record({
  between: fc.array(op, { maxLength: 8 }),
  // What Odoo does after the run has read and before it counts (usually nothing).
  duringCount: fc.oneof({ weight: 3, arbitrary: fc.constant([] as Op[]) }, { weight: 1, arbitrary: fc.array(op, { minLength: 1, maxLength: 3 }) }),
  mode: fc.constantFrom('incremental' as const, 'incremental' as const, 'incremental' as const, 'incremental' as const, 'full' as const),
});

function partner(id: number, valid: boolean) {
  return {
    id,
    name: `Person ${id}`,
    email: valid ? `p${id}@example.com` : 12345,
    phone: false,
    function: false,
    city: false,
    parent_id: false,
    commercial_partner_id: [id, `Person ${id}`],
    is_company: false,
    active: true,
  };
}

class World {
  readonly clock = new ManualClock('2026-03-01T10:00:00.000Z');
  readonly memory = new MemorySource({ clock: this.clock });
  nextId = 1;

  ids(): number[] {
    return [...Array(this.nextId).keys()].filter((id) => this.memory.get('res.partner', id) !== undefined);
  }

  apply(change: Op): void {
    if (change.kind === 'tick') {
      this.clock.set(this.clock.now().getTime() + change.ms);
      return;
    }
    if (change.kind === 'create') {
      this.memory.write('res.partner', partner(this.nextId++, change.valid));
      return;
    }
    const ids = this.ids();
    if (ids.length === 0) return;
    const id = ids[change.pick % ids.length]!;
    switch (change.kind) {
      case 'update':
        this.memory.write('res.partner', { id, city: `City ${change.pick}` });
        break;
      case 'archive':
        this.memory.write('res.partner', { id, active: false });
        break;
      case 'unarchive':
        this.memory.write('res.partner', { id, active: true });
        break;
      case 'delete':
        this.memory.unlink('res.partner', [id]);
        break;
      case 'leave':
        // Out of the contact domain (is_company = false) and, half the time, back later.
        this.memory.write('res.partner', { id, is_company: this.memory.get('res.partner', id)?.['is_company'] !== true });
        break;
      case 'break':
        this.memory.write('res.partner', { id, email: 12345 });
        break;
      case 'fix':
        this.memory.write('res.partner', { id, email: `p${id}@example.com` });
        break;
    }
  }

  /** Odoo's contacts: every id in the domain, and those whose row is valid. */
  contacts(): { all: Set<number>; valid: Set<number> } {
    const all = new Set<number>();
    const valid = new Set<number>();
    for (const id of this.ids()) {
      const row = this.memory.get('res.partner', id)!;
      if (row['is_company'] === true) continue;
      all.add(id);
      if (typeof row['email'] === 'string') valid.add(id);
    }
    return { all, valid };
  }
}

describe('deletion sweep, property', () => {
  it('an incremental run never leaves a deletion behind for more than the run in which Odoo changed between its read and its count', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(20), { minLength: 0, maxLength: 1 }), fc.constantFrom(0, 600_000), fc.array(step, { minLength: 1, maxLength: 10 }), async ([initial = 10], overlapMs, steps) => {
        const world = new World();
        for (let i = 0; i < initial; i++) world.apply({ kind: 'create', valid: true });
        let pending: Op[] = [];
        const reader: SourceReader = {
          readChanged: (query, options) => world.memory.readChanged(query, options),
          readAllIds: (query, options) => world.memory.readAllIds(query, options),
          readByIds: (query, ids, options) => world.memory.readByIds(query, ids, options),
          countAll: (query: SourceQuery, options?: { signal?: AbortSignal }) => {
            for (const change of pending.splice(0)) world.apply(change);
            return world.memory.countAll(query, options);
          },
        };
        const store = new MemoryStore();
        const reconciler = new Reconciler({
          source: reader,
          store,
          clock: world.clock,
          entities: [ENTITY_SPECS.contact],
          pageSize: 4,
          idPageSize: 7,
          overlapMs,
          maxDeleteRatio: 1,
          maxArchiveRatio: 1,
          retry: false,
          // The counts alone decide: the daily sweep would hide a miss.
          deletionSweepEveryMs: 1e12,
        });
        expect((await reconciler.run({ mode: 'full' })).status).toBe('success');
        const check = async (when: string) => {
          const live = new Set(await store.listLiveIds('contact'));
          const odoo = world.contacts();
          expect([...live].filter((id) => !odoo.all.has(id)), `${when}: live in the store, gone from Odoo`).toEqual([]);
          expect([...odoo.valid].filter((id) => !live.has(id)), `${when}: valid in Odoo, not live in the store`).toEqual([]);
        };
        for (const [index, { between, duringCount, mode }] of steps.entries()) {
          for (const change of between) world.apply(change);
          pending = mode === 'incremental' ? [...duringCount] : [];
          const result = await reconciler.run({ mode });
          expect(result.status).toBe('success');
          const sweep = result.entries[0]?.sweep;
          expect(sweep?.ran === true || sweep?.reason === 'counts_equal').toBe(true);
          if (mode === 'full' || duringCount.length === 0) await check(`after step ${index} (${mode})`);
        }
        // Whatever happened during the last count, one more run puts everything right.
        pending = [];
        await reconciler.run({ mode: 'incremental' });
        await check('after a last quiet run');
      }),
      {
        numRuns: 150,
        examples: [
          // A row invalid since an earlier run (in Odoo, never stored) makes up for a deleted one.
          [
            [10],
            0,
            [
              { between: [{ kind: 'create', valid: false }, { kind: 'tick', ms: 1000 }, { kind: 'update', pick: 0 }], duringCount: [], mode: 'incremental' },
              { between: [{ kind: 'delete', pick: 1 }], duringCount: [], mode: 'incremental' },
            ],
          ],
        ],
      },
    );
  }, 120_000);
});
