import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, HOUR } from './harness.js';

let h: Harness;
afterEach(async () => h?.cleanup());

describe('transient failures', () => {
  it('retries a dropped connection and succeeds', async () => {
    h = await createHarness();
    const retries: string[] = [];
    h.refresher.on('retry', (e) => retries.push(e.errorCode));
    const { result } = await h.signIn();
    await h.advance(2 * HOUR);
    h.entra.failNext(2, 'reset');
    const token = await h.refresher.getToken(result.userId);
    expect(token.fromCache).toBe(false);
    expect(retries).toEqual(['network_error', 'network_error']);
    expect(h.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.outcome)).toEqual(['reset', 'reset', 'ok']);
  });

  it('gives up on a request that hangs after requestTimeoutMs and retries it', async () => {
    h = await createHarness({ refresher: { requestTimeoutMs: 10_000 } });
    const { result } = await h.signIn();
    await h.advance(2 * HOUR);
    h.entra.failNext(1, 'hang');
    const pending = h.refresher.getToken(result.userId);
    // Wait (bounded) until the request reached the fake, then let the injected clock pass the timeout.
    for (let i = 0; i < 1000 && !h.entra.tokenRequests.some((r) => r.outcome === 'hang'); i++) await new Promise((r) => setImmediate(r));
    await h.advance(10_000);
    expect((await pending).fromCache).toBe(false);
    expect(h.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.outcome)).toEqual(['hang', 'ok']);
  });

  it('retries an Entra outage (503 temporarily_unavailable)', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    await h.advance(2 * HOUR);
    h.entra.failNext(1, 'unavailable');
    expect((await h.refresher.getToken(result.userId)).fromCache).toBe(false);
  });

  it('retries a gateway error page (502 in HTML, not JSON)', async () => {
    h = await createHarness();
    const retries: string[] = [];
    h.refresher.on('retry', (e) => retries.push(e.errorCode));
    const { result } = await h.signIn();
    await h.advance(2 * HOUR);
    h.entra.failNext(1, 'bad_gateway');
    expect((await h.refresher.getToken(result.userId)).fromCache).toBe(false);
    // msal-node 7's HTTP client reports a body that is not JSON as token_parsing_error.
    expect(retries).toEqual(['token_parsing_error']);
    expect(h.entra.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.outcome)).toEqual(['bad_gateway', 'ok']);
  });

  it('never signs anyone out: after the retries it throws ms365_unavailable and keeps the session', async () => {
    h = await createHarness();
    const { result } = await h.signIn();
    await h.advance(2 * HOUR);
    h.entra.failNext(4, 'reset');
    await expect(h.refresher.getAccessToken(result.userId)).rejects.toMatchObject({ code: 'ms365_unavailable', retryable: true });
    expect((await h.refresher.sessionStatus(result.userId)).state).toBe('signed_in');
    expect(await h.refresher.getAccessToken(result.userId)).toMatch(/^ey/);
  });

  it('retries sign-in code redemption too', async () => {
    h = await createHarness();
    h.entra.failNext(1, 'reset');
    const { result } = await h.signIn();
    expect(result.userId).toContain('.');
    expect(h.entra.tokenRequests.map((r) => r.outcome)).toEqual(['reset', 'ok']);
  });

  it('the pre-refresh job counts an outage as failed, and the next pass refreshes', async () => {
    h = await createHarness({ refresher: { retry: false } });
    const { result } = await h.signIn();
    await h.advance(55 * 60_000);
    h.entra.failNext(1, 'reset');
    expect(await h.refresher.refreshExpiring()).toEqual({ refreshed: 0, reauthRequired: 0, failed: 1, skipped: 0, idle: 0, signedOut: 0, sweptLogins: 0 });
    expect(await h.refresher.refreshExpiring()).toEqual({ refreshed: 1, reauthRequired: 0, failed: 0, skipped: 0, idle: 0, signedOut: 0, sweptLogins: 0 });
    expect((await h.refresher.sessionStatus(result.userId)).state).toBe('signed_in');
  });
});
