/**
 * Taking over a lease whose holder stopped renewing, between replicas whose clocks differ: the
 * decision rests on the taker's own elapsed time, never on the holder's clock.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { acquireOrTakeOverLease, type TakeOverReason } from '../src/scheduling/lease-owner.js';
import { LeaseWatch } from '../src/scheduling/lease-watch.js';
import { MemoryStore } from '../src/memory-store.js';

const TTL = 60_000;
const NAME = 'sync:entity:contact';
const START = Date.parse('2026-03-01T10:00:00.000Z');

/** A holder and a taker on one store, each with its own clock `offset` ms off the real time. */
function replicas(holderOffset: number, takerOffset: number) {
  const store = new MemoryStore();
  let real = START;
  const holderClock = new ManualClock(real + holderOffset);
  const takerClock = new ManualClock(real + takerOffset);
  const watch = new LeaseWatch(takerClock);
  const takeovers: TakeOverReason[] = [];
  return {
    store,
    takeovers,
    get elapsed() {
      return real - START;
    },
    advance(ms: number) {
      real += ms;
      holderClock.set(real + holderOffset);
      takerClock.set(real + takerOffset);
    },
    acquire: () => store.acquireLease(NAME, 'holder', TTL, holderClock.now()),
    renew: () => store.renewLease(NAME, 'holder', TTL, holderClock.now()),
    tryTake: () =>
      acquireOrTakeOverLease({
        locks: store,
        name: NAME,
        owner: 'taker',
        ttlMs: TTL,
        now: takerClock.now(),
        probe: undefined,
        watch,
        onTakeOver: (event) => takeovers.push(event.reason),
      }),
  };
}

describe('lease takeover between replicas with skewed clocks', () => {
  it('never takes over a holder that renews every third of the TTL, its clock 20 s behind the taker’s 20 s ahead', async () => {
    const r = replicas(-20_000, 20_000);
    expect(await r.acquire()).not.toBeNull();
    // Three minutes of real time: the holder renews every 20 s, the taker tries every 5 s.
    while (r.elapsed < 3 * TTL) {
      r.advance(5_000);
      if (r.elapsed % 20_000 === 0) expect(await r.renew()).not.toBeNull();
      else expect(await r.tryTake()).toBeNull();
    }
    expect(r.takeovers).toEqual([]);
    expect((await r.store.getLease(NAME, new Date(START + 3 * TTL)))?.owner).toBe('holder');
  });

  it('takes over a holder that stopped renewing after two renewal periods of the taker’s own time, whatever the holder’s clock says', async () => {
    // The holder's clock runs 20 s ahead, the taker's 20 s behind: the expiry the holder writes
    // looks 100 s away to the taker. Two missed renewals are still noticed after 40 s of watching.
    const r = replicas(20_000, -20_000);
    expect(await r.acquire()).not.toBeNull();
    r.advance(20_000);
    expect(await r.renew()).not.toBeNull(); // the last renewal, at 20 s; then the holder dies
    const lastRenewal = r.elapsed;
    let taken = null;
    while (taken === null && r.elapsed < lastRenewal + 2 * TTL) {
      r.advance(5_000);
      taken = await r.tryTake();
    }
    expect(taken?.owner).toBe('taker');
    expect(r.takeovers).toEqual(['heartbeat_missed']);
    // First seen 5 s after the last renewal, taken over 40 s (two renewal periods) later.
    expect(r.elapsed - lastRenewal).toBe(45_000);
  });

  it('starts watching again when the holder renews, changes, or the lease is ours', () => {
    const clock = new ManualClock(START);
    const watch = new LeaseWatch(clock);
    const lease = { name: NAME, owner: 'holder', expiresAt: new Date(START + TTL).toISOString() };
    expect(watch.missedRenewals(NAME, lease, TTL)).toBe(false);
    clock.set(START + 39_999);
    expect(watch.missedRenewals(NAME, lease, TTL)).toBe(false);
    const renewed = { ...lease, expiresAt: new Date(START + 39_999 + TTL).toISOString() };
    expect(watch.missedRenewals(NAME, renewed, TTL)).toBe(false);
    clock.set(START + 79_998);
    expect(watch.missedRenewals(NAME, renewed, TTL)).toBe(false);
    clock.set(START + 79_999);
    expect(watch.missedRenewals(NAME, renewed, TTL)).toBe(true);
    expect(watch.missedRenewals(NAME, { ...renewed, owner: 'other' }, TTL)).toBe(false);
    watch.forget(NAME);
    expect(watch.missedRenewals(NAME, { ...renewed, owner: 'other' }, TTL)).toBe(false);
  });
});
