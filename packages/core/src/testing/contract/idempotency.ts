/**
 * The idempotency contract: the cases of `IdempotencyStore`.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { IdempotencyClaimRequest, IdempotencyPorts } from '../../ports.js';
import type { ContractOptions, IdempotencyHarness } from '../harness.js';
import { at } from './fixtures.js';
import { type CaseContext, runContract } from './runner.js';

const HOUR = 60;

/** A claim of `key` at minute 0 that expires after 24 h and counts as abandoned after 10 minutes. */
function claim(key: string, fingerprint = 'fp-1', minutes = 0): IdempotencyClaimRequest {
  return { key, fingerprint, expiresAt: at(minutes + 24 * HOUR), pendingUntil: at(minutes + 10) };
}

/** Registers the cases of `IdempotencyStore`. */
export function defineIdempotencyCases(context: CaseContext<IdempotencyHarness>): void {
  let store: IdempotencyPorts;
  let harness: IdempotencyHarness;
  const { siblings, exclusive } = context;
  context.onHarness((fresh) => {
    harness = fresh;
    store = fresh.store;
  });

  describe('IdempotencyStore', () => {
    it('claims a new key once; a second claim gets the pending record, then the completed answer', async () => {
      expect(await store.claimIdempotencyKey(claim('k1'), at(0))).toEqual({ claimed: true });
      const pending = await store.claimIdempotencyKey(claim('k1', 'fp-other'), at(1));
      expect(pending).toEqual({
        claimed: false,
        record: {
          key: 'k1',
          fingerprint: 'fp-1',
          state: 'pending',
          answer: null,
          createdAt: at(0).toISOString(),
          expiresAt: at(24 * HOUR).toISOString(),
          pendingUntil: at(10).toISOString(),
        },
      });
      const body = { odooId: 42, name: 'Cloud Migration Ünïcode', tags: [1, 2], nested: { ok: true, none: null } };
      expect(await store.completeIdempotencyKey('k1', 'fp-1', { status: 201, body }, at(2))).toBe(true);
      const done = await store.claimIdempotencyKey(claim('k1'), at(3));
      expect(done).toMatchObject({ claimed: false, record: { state: 'done', fingerprint: 'fp-1', answer: { status: 201, body } } });
      expect(await store.getIdempotencyKey('k1', at(3))).toMatchObject({ state: 'done', answer: { status: 201, body } });
      // A done key is never completed again nor released.
      expect(await store.completeIdempotencyKey('k1', 'fp-1', { status: 500, body: null }, at(4))).toBe(false);
      expect(await store.releaseIdempotencyKey('k1', 'fp-1')).toBe(false);
      expect((await store.getIdempotencyKey('k1', at(4)))?.answer).toEqual({ status: 201, body });
    });

    it('keeps keys apart and completes or releases only a pending key with the same fingerprint', async () => {
      await store.claimIdempotencyKey(claim('a'), at(0));
      await store.claimIdempotencyKey(claim('b', 'fp-b'), at(0));
      expect(await store.completeIdempotencyKey('a', 'fp-wrong', { status: 200, body: 1 }, at(1))).toBe(false);
      expect(await store.completeIdempotencyKey('missing', 'fp-1', { status: 200, body: 1 }, at(1))).toBe(false);
      expect(await store.releaseIdempotencyKey('b', 'fp-wrong')).toBe(false);
      expect(await store.releaseIdempotencyKey('b', 'fp-b')).toBe(true);
      expect(await store.getIdempotencyKey('b', at(1))).toBeNull();
      expect((await store.getIdempotencyKey('a', at(1)))?.state).toBe('pending');
      // Released: the next claim runs the request again.
      expect(await store.claimIdempotencyKey(claim('b', 'fp-b2'), at(2))).toEqual({ claimed: true });
      expect((await store.getIdempotencyKey('b', at(2)))?.fingerprint).toBe('fp-b2');
    });

    it('forgets expired keys (claimable again, never answered) and purges only those', async () => {
      await store.claimIdempotencyKey({ ...claim('old'), expiresAt: at(60) }, at(0));
      await store.completeIdempotencyKey('old', 'fp-1', { status: 201, body: { id: 1 } }, at(1));
      await store.claimIdempotencyKey(claim('young', 'fp-1', 30), at(30));
      expect(await store.getIdempotencyKey('old', at(59))).not.toBeNull();
      expect(await store.getIdempotencyKey('old', at(60))).toBeNull();
      expect(await store.purgeExpiredIdempotencyKeys(at(61))).toBe(1);
      expect(await store.purgeExpiredIdempotencyKeys(at(61))).toBe(0);
      expect(await store.getIdempotencyKey('young', at(61))).not.toBeNull();
      // An expired key that was not purged yet is claimed anew.
      await store.claimIdempotencyKey({ ...claim('lapsed'), expiresAt: at(5) }, at(0));
      expect(await store.claimIdempotencyKey(claim('lapsed', 'fp-new', 6), at(6))).toEqual({ claimed: true });
      expect(await store.getIdempotencyKey('lapsed', at(7))).toMatchObject({ fingerprint: 'fp-new', state: 'pending', createdAt: at(6).toISOString() });
    });

    it('lets a pending claim be taken over once abandoned (past pendingUntil), never a done one', async () => {
      await store.claimIdempotencyKey(claim('p'), at(0));
      expect((await store.claimIdempotencyKey(claim('p', 'fp-1', 9), at(9))).claimed).toBe(false);
      expect(await store.claimIdempotencyKey(claim('p', 'fp-1', 10), at(10))).toEqual({ claimed: true });
      await store.completeIdempotencyKey('p', 'fp-1', { status: 201, body: 'x' }, at(11));
      expect((await store.claimIdempotencyKey(claim('p', 'fp-1', 600), at(600))).claimed).toBe(false);
    });

    it.skipIf(!exclusive)('gives a contended key to exactly one of many concurrent claims (and of two replicas)', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.claimIdempotencyKey(claim('race', `fp-${i}`), at(0))));
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      if (!harness.openSibling) return;
      const sibling = await harness.openSibling();
      siblings.push(sibling);
      for (let round = 0; round < 10; round++) {
        const key = `replica-race-${round}`;
        const [a, b] = await Promise.all([store.claimIdempotencyKey(claim(key, 'A'), at(0)), sibling.claimIdempotencyKey(claim(key, 'B'), at(0))]);
        expect([a, b].filter((r) => r.claimed)).toHaveLength(1);
      }
    });
  });
}

/**
 * Runs the idempotency contract against a store that implements `IdempotencyStore` (the
 * all-in-one {@link runStoreContract} includes it).
 */
export function runIdempotencyContract(
  name: string,
  setup: () => Promise<IdempotencyHarness>,
  options: ContractOptions<IdempotencyHarness> = {},
): void {
  runContract(`idempotency contract: ${name}`, setup, options, defineIdempotencyCases);
}
