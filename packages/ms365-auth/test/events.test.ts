import { afterEach, describe, expect, it } from 'vitest';
import type { Ms365Events } from '../src/events.js';
import { createHarness, type Harness, HOUR } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

const CURRENT = ['session:started', 'token:refreshed', 'request:retried', 'session:ended'] as const satisfies readonly (keyof Ms365Events)[];
const FORMER = ['signed_in', 'refreshed', 'retry', 'signed_out'] as const satisfies readonly (keyof Ms365Events)[];

describe('event names', () => {
  it('are <noun>:<past-tense verb>, and each renamed event is still emitted under its former name', async () => {
    h = await createHarness();
    const events: string[] = [];
    for (const name of [...CURRENT, ...FORMER]) h.refresher.on(name, () => events.push(name));
    const { result } = await h.signIn();
    await h.advance(2 * HOUR);
    h.entra.failNext(1, 'reset');
    await h.refresher.getToken(result.userId);
    await h.refresher.signOut(result.userId);
    expect(events).toEqual(['session:started', 'signed_in', 'request:retried', 'retry', 'token:refreshed', 'refreshed', 'session:ended', 'signed_out']);
  });
});
