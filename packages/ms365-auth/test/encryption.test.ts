import { TokenUnreadableError } from '@odoo-sync/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTokenKey, userCacheKey } from '../src/index.js';
import { createHarness, type Harness, HOUR, MINUTE } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

describe('at rest', () => {
  it('the raw store holds no token, code, verifier, nonce or e-mail in plain text', async () => {
    h = await createHarness();
    const ana = h.entra.addUser({ upn: 'ana.private@contoso.test', name: 'Ana Private', email: 'ana.private@contoso.test' });
    const { url } = await h.refresher.loginUrl();
    const q = new URL(url).searchParams;
    const pendingDump = await h.store.inspect.dumpText();
    expect(pendingDump).not.toContain(q.get('nonce'));
    const back = h.entra.authorize(url, ana.oid);
    const me = await h.refresher.handleCallback({ code: back.code, state: back.state });
    await h.advance(2 * HOUR);
    await h.refresher.getAccessToken(me.userId);
    await h.refresher.getAccessToken(me.userId, ['User.Read']);

    const dump = await h.store.inspect.dumpText();
    const raw = await h.store.getToken(userCacheKey(me.userId));
    expect(h.entra.issuedSecrets.length).toBeGreaterThanOrEqual(7);
    for (const secret of h.entra.issuedSecrets) {
      expect(dump).not.toContain(secret);
      // Also no recognisable piece of one (JWT payloads, refresh token bodies).
      for (const piece of secret.split('.').filter((p) => p.length > 20)) expect(dump).not.toContain(piece);
    }
    expect(dump).not.toContain('ana.private');
    expect(dump).not.toContain('Ana Private');
    expect(dump).not.toContain('"secret"');
    expect(Object.keys(JSON.parse(raw?.blob ?? '{}')).sort()).toEqual(['ct', 'iv', 'kid', 'tag', 'v']);
  });
});

describe('key rotation', () => {
  it('reads blobs of the old key and re-seals them with the current one on the next write', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    const key = userCacheKey(result.userId);
    const kidOf = async () => (JSON.parse((await h.store.getToken(key))?.blob ?? '{}') as { kid?: string }).kid;
    expect(await kidOf()).toBe('k1');

    const k2 = `k2:${generateTokenKey()}`;
    const rotated = h.makeRefresher({ keyring: `${k2},${h.keysText}` });
    expect((await rotated.getToken(result.userId)).fromCache).toBe(true);
    expect(await kidOf()).toBe('k1'); // a read does not write
    await h.advance(2 * HOUR);
    expect((await rotated.getToken(result.userId)).fromCache).toBe(false);
    expect(await kidOf()).toBe('k2');

    // Once every blob is re-sealed (one access-token lifetime with the pre-refresh job running), k1 can go.
    const k2Only = h.makeRefresher({ keyring: k2 });
    expect((await k2Only.getToken(result.userId)).fromCache).toBe(true);
    expect((await k2Only.sessionStatus(result.userId)).state).toBe('signed_in');
  });

  it('the pre-refresh job re-seals every active session within one pass', async () => {
    h = await createHarness();
    const users = [await h.signIn(), await h.signIn(), await h.signIn()];
    const rotated = h.makeRefresher({ keyring: `k2:${generateTokenKey()},${h.keysText}` });
    await h.advance(55 * MINUTE);
    expect((await rotated.refreshExpiring()).refreshed).toBe(3);
    for (const { result } of users) {
      expect(JSON.parse((await h.store.getToken(userCacheKey(result.userId)))?.blob ?? '{}').kid).toBe('k2');
    }
  });
});

describe('a blob that cannot be decrypted', () => {
  it('counts as signed out: reported, ReauthRequiredError, never a crash, blob kept for a restored key', async () => {
    const hooked: string[] = [];
    h = await createHarness();
    const { result } = await h.signIn();
    const key = userCacheKey(result.userId);
    const before = await h.store.getToken(key);
    const lostKey = h.makeRefresher({
      keyring: `k9:${generateTokenKey()}`,
      onReauthRequired: (e) => {
        hooked.push(e.mark.reason);
      },
    });
    const reports: unknown[] = [];
    lostKey.on('token_unreadable', (e) => reports.push(e.error));

    const error = await lostKey.getAccessToken(result.userId).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'reauth_required', loginUrl: '/api/auth/login' });
    expect((error as Error).cause).toBeInstanceOf(TokenUnreadableError);
    expect(reports).toHaveLength(1);
    expect(hooked).toEqual(['token_unreadable']);
    expect(await lostKey.sessionStatus(result.userId)).toMatchObject({ state: 'unreadable', loginUrl: '/api/auth/login' });

    // Off the pre-refresh list (no report every pass), but the blob is untouched.
    const after = await h.store.getToken(key);
    expect(after?.blob).toBe(before?.blob);
    expect(after?.expiresAt).toBeNull();
    await h.advance(2 * HOUR);
    expect(await lostKey.refreshExpiring(HOUR)).toEqual({ refreshed: 0, reauthRequired: 0, failed: 0, skipped: 0, idle: 0, signedOut: 0, sweptLogins: 0 });

    // The key comes back: the session works again.
    expect((await h.refresher.getToken(result.userId)).fromCache).toBe(false);
  });

  it('a blob copied to another user does not open (bound to its key)', async () => {
    h = await createHarness();
    const a = await h.signIn();
    const b = await h.signIn();
    const blobA = (await h.store.getToken(userCacheKey(a.result.userId)))?.blob ?? '';
    const entryB = await h.store.getToken(userCacheKey(b.result.userId));
    await h.store.putToken(userCacheKey(b.result.userId), { blob: blobA, expiresAt: null }, entryB?.version ?? null, h.clock.now());
    await expect(h.refresher.getAccessToken(b.result.userId)).rejects.toMatchObject({ code: 'reauth_required' });
    expect((await h.refresher.sessionStatus(b.result.userId)).state).toBe('unreadable');
    expect(await h.refresher.getAccessToken(a.result.userId)).toMatch(/^ey/);
  });

  it('a tampered or garbage blob: the same, and the user can sign in over it', async () => {
    h = await createHarness();
    const { user, result } = await h.signIn();
    const key = userCacheKey(result.userId);
    const entry = await h.store.getToken(key);
    await h.store.putToken(key, { blob: 'garbage', expiresAt: entry?.expiresAt ?? null }, entry?.version ?? null, h.clock.now());
    await expect(h.refresher.getAccessToken(result.userId)).rejects.toMatchObject({ code: 'reauth_required' });
    await h.signIn(user);
    expect((await h.refresher.sessionStatus(result.userId)).state).toBe('signed_in');
  });
});
