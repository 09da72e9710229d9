import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import type { ReauthRequiredError } from '@odoo-sync/core/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CachePayload, type ReauthRequiredEvent, userCacheKey } from '../src/index.js';
import { parsePayload } from '../src/cache-payload.js';
import { openBlob } from '../src/envelope.js';
import { createHarness, type Harness, HOUR, MINUTE } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

async function rejection(promise: Promise<unknown>): Promise<ReauthRequiredError> {
  try {
    await promise;
  } catch (error) {
    return error as ReauthRequiredError;
  }
  throw new Error('expected a rejection');
}

async function storedPayload(userId: string): Promise<CachePayload> {
  const entry = await h.store.getToken(userCacheKey(userId));
  if (!entry) throw new Error('no entry');
  return parsePayload(openBlob(h.keyring, entry.key, entry.blob).plaintext);
}

describe('when silent refresh is impossible', () => {
  it('invalid_grant (revoked refresh token) → account removed, user marked, ReauthRequiredError with the login URL', async () => {
    const hook = vi.fn<(event: ReauthRequiredEvent) => void>();
    h = await createHarness({ refresher: { onReauthRequired: hook, reauthLoginUrl: (id) => `/api/auth/login?hint=${encodeURIComponent(id)}` } });
    const events: unknown[] = [];
    h.refresher.on('reauth_required', (e) => events.push(e));
    const { user, result } = await h.signIn();
    h.entra.revokeRefreshTokens(user.oid);
    await h.advance(2 * HOUR);

    const error = await rejection(h.refresher.getAccessToken(result.userId));
    expect(error.code).toBe('reauth_required');
    expect(error.loginUrl).toBe(`/api/auth/login?hint=${encodeURIComponent(result.userId)}`);
    expect(error.message).toBe('Your Microsoft 365 session expired — please sign in again.');
    expect((error.cause as ServerError).errorCode).toBe('invalid_grant');

    const payload = await storedPayload(result.userId);
    expect(payload.status).toBe('reauth_required');
    expect(payload.reauth).toMatchObject({ reason: 'invalid_grant', errorNo: '50173' });
    const msal = JSON.parse(payload.msal) as Record<string, Record<string, unknown>>;
    expect(Object.keys(msal['Account'] ?? {})).toEqual([]);
    expect(Object.keys(msal['RefreshToken'] ?? {})).toEqual([]);
    expect((await h.store.getToken(userCacheKey(result.userId)))?.expiresAt).toBeNull();

    expect(hook).toHaveBeenCalledTimes(1);
    expect(hook.mock.calls[0]?.[0]).toMatchObject({ userId: result.userId, mark: { reason: 'invalid_grant' } });
    expect(events).toHaveLength(1);
    expect(await h.refresher.sessionStatus(result.userId)).toMatchObject({ state: 'reauth_required', reauth: { reason: 'invalid_grant' } });
  });

  it('does not retry a dead refresh token: later calls answer at once, without a request to Entra', async () => {
    h = await createHarness();
    const { user, result } = await h.signIn();
    h.entra.revokeRefreshTokens(user.oid);
    await h.advance(2 * HOUR);
    await rejection(h.refresher.getAccessToken(result.userId));
    const requests = h.entra.tokenRequests.length;
    for (let i = 0; i < 3; i++) expect((await rejection(h.refresher.getAccessToken(result.userId))).code).toBe('reauth_required');
    expect((await h.refresher.refreshExpiring(HOUR)).refreshed).toBe(0);
    expect(h.entra.tokenRequests.length).toBe(requests);
  });

  it('an expired refresh token (AADSTS700082) is the same: sign in again', async () => {
    h = await createHarness({ entra: { refreshTokenLifetimeSec: 86_400 } });
    const { result } = await h.signIn();
    await h.advance(25 * HOUR);
    const error = await rejection(h.refresher.getAccessToken(result.userId));
    expect(error.code).toBe('reauth_required');
    expect((await storedPayload(result.userId)).reauth).toMatchObject({ errorNo: '700082' });
  });

  it('an MFA challenge (InteractionRequiredAuthError, basic_action) → reauth_required', async () => {
    h = await createHarness();
    const { user, result } = await h.signIn();
    h.entra.requireMfa(user.oid);
    await h.advance(2 * HOUR);
    const error = await rejection(h.refresher.getAccessToken(result.userId));
    expect(error.code).toBe('reauth_required');
    expect(error.cause).toBeInstanceOf(InteractionRequiredAuthError);
    expect((error.cause as InteractionRequiredAuthError).subError).toBe('basic_action');
  });

  it('signing in again clears the mark and everything works', async () => {
    h = await createHarness();
    const { user, result } = await h.signIn();
    h.entra.revokeRefreshTokens(user.oid);
    await h.advance(2 * HOUR);
    await rejection(h.refresher.getAccessToken(result.userId));
    const again = await h.signIn(user);
    expect(again.result.userId).toBe(result.userId);
    expect((await storedPayload(result.userId)).status).toBe('active');
    await h.advance(2 * HOUR);
    expect((await h.refresher.getToken(result.userId)).fromCache).toBe(false);
  });

  it('the pre-refresh job counts the users who must sign in again', async () => {
    h = await createHarness();
    const a = await h.signIn();
    const b = await h.signIn();
    h.entra.revokeRefreshTokens(a.user.oid);
    await h.advance(55 * MINUTE);
    expect(await h.refresher.refreshExpiring()).toEqual({ refreshed: 1, reauthRequired: 1, failed: 0, skipped: 0, idle: 0, signedOut: 0, sweptLogins: 0 });
    expect((await h.refresher.sessionStatus(b.result.userId)).state).toBe('signed_in');
  });

  it('a failing hook is logged, never thrown', async () => {
    const logged: string[] = [];
    h = await createHarness({
      refresher: {
        onReauthRequired: () => {
          throw new Error('user store down');
        },
        logger: { debug() {}, info() {}, warn() {}, error: (_f, m) => logged.push(m) },
      },
    });
    const { user, result } = await h.signIn();
    h.entra.revokeRefreshTokens(user.oid);
    await h.advance(2 * HOUR);
    expect((await rejection(h.refresher.getAccessToken(result.userId))).code).toBe('reauth_required');
    expect(logged).toContain('onReauthRequired hook failed');
  });
});
