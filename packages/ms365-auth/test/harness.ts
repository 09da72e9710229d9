/**
 * Test harness: a fake Entra ID on 127.0.0.1, a MemoryStore, a keyring, an injected clock, and
 * a refresher wired to all of them.
 *
 * Time: MSAL reads `Date.now()` itself (token `cached_at`/`expires_on`, the 5-minute renewal
 * offset) and cannot be given a clock. So the tests fake `Date` only — `vi.useFakeTimers({
 * toFake: ['Date'] })`, leaving real timers, sockets and promises alone — and move `Date`
 * together with core's `ManualClock` in `advance()`: MSAL, the fake Entra ID (which issues
 * tokens relative to the same `Date.now()`), and the refresher (which uses the ManualClock)
 * all agree on the time.
 */
import { type ManualClock as ManualClockType, ManualClock, MemoryStore } from '@odoo-sync/core';
import { vi } from 'vitest';
import { generateTokenKey, type Keyring, Ms365TokenRefresher, type Ms365TokenRefresherOptions, parseKeyring, type SignInResult } from '../src/index.js';
import { FakeEntraId, type FakeEntraIdOptions, type FakeEntraUser } from '../src/testing/index.js';

/** What a test gets. */
export interface Harness {
  entra: FakeEntraId;
  store: MemoryStore;
  keyring: Keyring;
  keysText: string;
  clock: ManualClockType;
  refresher: Ms365TokenRefresher;
  /** Builds another refresher on the same store and fake (another replica, or new options). */
  makeRefresher(overrides?: Partial<Ms365TokenRefresherOptions>): Ms365TokenRefresher;
  /** Moves the ManualClock and `Date` together, firing the clock's timers. */
  advance(ms: number): Promise<void>;
  /** Adds a user and signs them in through the whole auth-code flow. */
  signIn(user?: FakeEntraUser, refresher?: Ms365TokenRefresher): Promise<{ user: FakeEntraUser; result: SignInResult }>;
  cleanup(): Promise<void>;
}

export const START = new Date('2026-03-02T08:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let userCounter = 0;

export async function createHarness(
  options: { entra?: FakeEntraIdOptions; refresher?: Partial<Ms365TokenRefresherOptions> } = {},
): Promise<Harness> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  const clock = new ManualClock(START);
  const entra = await FakeEntraId.start(options.entra);
  const store = new MemoryStore();
  const keysText = `k1:${generateTokenKey()}`;
  const keyring = parseKeyring(keysText);
  const makeRefresher = (overrides: Partial<Ms365TokenRefresherOptions> = {}) =>
    new Ms365TokenRefresher({
      ...entra.refresherOptions(),
      redirectUri: entra.redirectUris[0] as string,
      store,
      keyring,
      clock,
      retry: { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 2, factor: 1 },
      ...options.refresher,
      ...overrides,
    });
  const refresher = makeRefresher();
  return {
    entra,
    store,
    keyring,
    keysText,
    clock,
    refresher,
    makeRefresher,
    async advance(ms) {
      vi.setSystemTime(clock.now().getTime() + ms);
      await clock.advance(ms);
    },
    async signIn(user, using = refresher) {
      const who = user ?? entra.addUser({ upn: `user${++userCounter}@contoso.test`, name: `User ${userCounter}` });
      const { url, state } = await using.loginUrl();
      const back = entra.authorize(url, who.oid);
      const result = await using.handleCallback({ code: back.code, state: back.state }, { expectedState: state });
      return { user: who, result };
    },
    async cleanup() {
      await entra.close();
      vi.useRealTimers();
    },
  };
}
