import { ManualClock, MemoryStore } from '@odoo-sync/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS, SessionManager, sessionKey } from './session.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = new Date('2026-03-02T08:00:00.000Z');

let store: MemoryStore;
afterEach(async () => {
  await store.close();
});

function setup(options: { renewAfterMs?: number } = {}) {
  store = new MemoryStore();
  const clock = new ManualClock(START);
  return { clock, sessions: new SessionManager({ store, clock, ...options }) };
}

describe('SessionManager', () => {
  it('makes 256-bit ids and stores only their hash, for 7 days', async () => {
    const { sessions } = setup();
    const a = await sessions.create('user-1');
    const b = await sessions.create('user-1');
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    const entry = await store.getToken(sessionKey(a.id));
    expect(entry?.key).toMatch(/^session:[0-9a-f]{64}$/);
    expect(JSON.stringify(entry)).not.toContain(a.id);
    expect(entry?.expiresAt).toBe(new Date(START.getTime() + SESSION_TTL_MS).toISOString());
    expect(await sessions.get(a.id)).toMatchObject({ userId: 'user-1', renewed: false });
  });

  it('rolls: each use after renewAfterMs pushes the expiry 7 days from now; idle for 7 days ends it', async () => {
    const { clock, sessions } = setup();
    const { id } = await sessions.create('user-1');
    await clock.advance(30 * 60_000);
    expect((await sessions.get(id))?.renewed).toBe(false);
    for (let day = 1; day <= 20; day++) {
      await clock.advance(DAY);
      const session = await sessions.get(id);
      expect(session).toMatchObject({ userId: 'user-1', renewed: true, expiresAt: new Date(clock.now().getTime() + SESSION_TTL_MS).toISOString() });
    }
    await clock.advance(SESSION_TTL_MS);
    expect(await sessions.get(id)).toBeNull();
    expect(await store.getToken(sessionKey(id))).toBeNull();
  });

  it('a renewal never brings back a session a logout deleted', async () => {
    const { clock, sessions } = setup({ renewAfterMs: 0 });
    const { id } = await sessions.create('user-1');
    await clock.advance(HOUR);
    const [read, destroyed] = await Promise.all([sessions.get(id), sessions.destroy(id)]);
    expect(destroyed).toBe(true);
    expect(read === null || read.userId === 'user-1').toBe(true);
    expect(await store.getToken(sessionKey(id))).toBeNull();
    expect(await sessions.get(id)).toBeNull();
    expect(await sessions.destroy(id)).toBe(false);
  });

  it('ignores malformed ids and unreadable entries', async () => {
    const { sessions } = setup();
    expect(await sessions.get('short')).toBeNull();
    expect(await sessions.get('x'.repeat(43))).toBeNull();
    const { id } = await sessions.create('user-1');
    const entry = await store.getToken(sessionKey(id));
    await store.putToken(sessionKey(id), { blob: '{not json', expiresAt: entry!.expiresAt }, entry!.version, new Date());
    expect(await sessions.get(id)).toBeNull();
    expect(await store.getToken(sessionKey(id))).toBeNull();
  });

  it('sweeps expired sessions only, past other expired entries of the token store', async () => {
    const { clock, sessions } = setup();
    for (let i = 0; i < 600; i++) {
      await store.putToken(`ms365:user:u${i}`, { blob: 'sealed', expiresAt: new Date(START.getTime() - DAY).toISOString() }, null, START);
    }
    const old = await Promise.all([1, 2, 3].map(() => sessions.create('user-1')));
    await clock.advance(3 * DAY);
    const fresh = await sessions.create('user-2');
    await clock.advance(SESSION_TTL_MS - DAY);
    expect(await sessions.sweepExpired()).toBe(3);
    for (const { id } of old) expect(await store.getToken(sessionKey(id))).toBeNull();
    expect(await sessions.get(fresh.id)).toMatchObject({ userId: 'user-2' });
    expect(await store.getToken('ms365:user:u0')).not.toBeNull();
  });

  it('validates its options', () => {
    store = new MemoryStore();
    expect(() => new SessionManager({ store, ttlMs: 10 })).toThrow(TypeError);
    expect(() => new SessionManager({ store, renewAfterMs: SESSION_TTL_MS })).toThrow(TypeError);
  });
});
