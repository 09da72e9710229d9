/**
 * The promise of this package, simulated: users stay signed in. Time is simulated (see
 * harness.ts): the ManualClock and the faked `Date` move together, five minutes at a time,
 * and the pre-refresh job runs on the ManualClock's timers as it would in the server.
 */
import { ReauthRequiredError } from '@odoo-sync/core/errors';
import { afterEach, expect, it } from 'vitest';
import type { Ms365TokenRefresher } from '../src/index.js';
import type { FakeEntraUser } from '../src/testing/index.js';
import { createHarness, DAY, type Harness, HOUR, MINUTE, START } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

const STEP = 5 * MINUTE;

interface Person {
  user: FakeEntraUser;
  userId: string;
  /** Hours of the day (UTC) at which this person uses the app. */
  hours: number[];
  /** Days (0 = first day) on which they use it. */
  days: (day: number) => boolean;
  relogins: number;
  calls: number;
}

/** Simulates `days` days from the harness's current time, 5 minutes at a time. */
async function simulate(people: Person[], days: number, refresher: Ms365TokenRefresher, events: Record<number, () => void> = {}): Promise<void> {
  const steps = (days * DAY) / STEP;
  for (let i = 0; i < steps; i++) {
    await h.advance(STEP);
    const now = h.clock.now();
    const elapsed = now.getTime() - START.getTime();
    events[elapsed]?.();
    const day = Math.floor(elapsed / DAY);
    for (const person of people) {
      if (!person.days(day) || !person.hours.includes(now.getUTCHours()) || now.getUTCMinutes() !== 0) continue;
      person.calls++;
      try {
        await refresher.getAccessToken(person.userId);
      } catch (error) {
        if (!(error instanceof ReauthRequiredError)) throw error;
        person.relogins++;
        const again = await h.signIn(person.user);
        expect(again.result.userId).toBe(person.userId);
        await refresher.getAccessToken(person.userId);
      }
    }
  }
}

async function person(hours: number[], days: (day: number) => boolean): Promise<Person> {
  const { user, result } = await h.signIn();
  return { user, userId: result.userId, hours, days, relogins: 0, calls: 0 };
}

it('a simulated week of daily use (tokens of 60 min, refresh tokens of 90 days sliding): zero re-logins; after a revocation, exactly one', async () => {
  h = await createHarness({ entra: { accessTokenLifetimeSec: 3600, refreshTokenLifetimeSec: 90 * 86_400 } });
  const daily = await person([9, 13, 17], () => true);
  const twiceAWeek = await person([10], (day) => day === 0 || day === 4);
  const job = h.refresher.startPreRefresh({ intervalMs: STEP, withinMs: 10 * MINUTE });

  await simulate([daily, twiceAWeek], 7, h.refresher);
  expect(daily.calls).toBe(21);
  expect(twiceAWeek.calls).toBe(2);
  expect([daily.relogins, twiceAWeek.relogins]).toEqual([0, 0]);
  const refreshes = h.entra.countTokenRequests('refresh_token');
  const uses = daily.calls + twiceAWeek.calls;
  expect(h.entra.tokenRequests.filter((r) => r.outcome !== 'ok')).toEqual([]);

  // An admin revokes the daily user's sessions (password reset) on day 8 at 11:02.
  const revokeAt = 7 * DAY + 3 * HOUR + 2 * MINUTE;
  await simulate([daily, twiceAWeek], 3, h.refresher, { [revokeAt - (revokeAt % STEP)]: () => void h.entra.revokeRefreshTokens(daily.user.oid) });
  await job.stop();
  expect([daily.relogins, twiceAWeek.relogins]).toEqual([1, 0]);
  expect(h.entra.countTokenRequests('refresh_token', 'invalid_grant')).toBe(1);

  // What it took: about one refresh per user per access-token lifetime, done ahead of use.
  console.info(
    `week: ${uses} uses, ${refreshes} background refreshes for 2 users in 7 days, 0 re-logins; after revocation: 1 re-login`,
  );
});

it('refresh tokens slide: with the pre-refresh job an idle user outlives the refresh-token lifetime; without it, one re-login', async () => {
  // Refresh tokens of one day make the sliding visible in a short simulation.
  h = await createHarness({ entra: { accessTokenLifetimeSec: 3600, refreshTokenLifetimeSec: 86_400 } });
  const withJob = await person([9], (day) => day === 4);
  const job = h.refresher.startPreRefresh({ intervalMs: STEP, withinMs: 10 * MINUTE });
  await simulate([withJob], 5, h.refresher);
  await job.stop();
  expect(withJob.relogins).toBe(0);

  const withoutJob = await person([9], (day) => day === 9);
  await simulate([withoutJob], 5, h.refresher);
  expect(withoutJob.relogins).toBe(1);
});
