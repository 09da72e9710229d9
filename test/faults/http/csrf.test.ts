/**
 * CSRF on cookie-authenticated writes, against the real server with Microsoft 365 sign-in
 * (FakeEntraId): every write a session cookie can make, sent from another site, answers 403
 * `csrf_rejected` and changes nothing; the server's own origin and its public origin pass;
 * API keys and safe methods are not checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, sessionOf, startHttpWorld, type HttpWorld, type RawAnswer } from './world.js';

let ms365: HttpWorld;
beforeAll(async () => {
  ms365 = await startHttpWorld({ ms365: true });
}, 120_000);
afterAll(async () => {
  await ms365?.close();
});

const codeOf = (answer: RawAnswer): string | undefined => (answer.json as { error?: { code?: string } } | undefined)?.error?.code;

describe('CSRF on cookie-authenticated writes', () => {
  it('refuses a cross-site write made with the session cookie (typed 403 csrf_rejected); same-site browsers and API keys pass', { timeout: 300_000 }, async () => {
    const world = ms365;
    const url = world.url;
    const store = world.running.store;
    const port = Number(new URL(url).port);
    const adminSession = await sessionOf(world, 'csrf-admin@contoso.test', 'admin');
    const target = (await store.createUser({ id: 'csrf-target', email: 'target@fuzz.test', name: 'Target', role: 'user', status: 'approved' }, new Date())).id;
    // The public origin (of MS365_REDIRECT_URI), as a browser behind a reverse proxy sends it.
    const publicOrigin = new URL(world.entra!.redirectUris[0]!).origin;
    const crossSite: Array<Record<string, string>> = [
      { Origin: 'https://evil.test' },
      { Origin: 'https://evil.test', 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { Origin: 'null' },
      { Origin: `http://127.0.0.1:${port + 1}` },
      { Origin: `http://localhost:${port}` },
      { Origin: `https://127.0.0.1:${port}` },
      { Origin: `${url}.evil.test` },
      { Origin: url, 'Sec-Fetch-Site': 'cross-site' },
      { Origin: `${publicOrigin}.evil.test` },
      { Origin: publicOrigin.replace('https:', 'http:') },
    ];
    // Every write a session cookie can make: the user and admin routes that are not GET, and sign-out.
    const writes = world.routes.filter((r) => r.method !== 'GET' && (r.access === 'user' || r.access === 'admin' || r.operationId === 'logout'));
    expect(writes.length).toBeGreaterThanOrEqual(8);
    const problems: string[] = [];
    let refused = 0;
    for (const route of [...writes].sort((a, b) => Number(a.operationId === 'logout') - Number(b.operationId === 'logout'))) {
      const path = route.path.replace(':id', target);
      const body = route.operationId === 'setUserRole' ? '{"role":"admin"}' : route.body ? '{}' : undefined;
      for (const headers of crossSite) {
        const answer = await send(url, {
          method: route.method,
          path,
          headers: { Cookie: adminSession.cookie, ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
        });
        if (answer.status === 403 && codeOf(answer) === 'csrf_rejected') refused++;
        else problems.push(`${route.method} ${route.path} with ${JSON.stringify(headers)}: ${answer.status} ${answer.text.slice(0, 120)}`);
      }
    }
    // Nothing happened: the target is still a plain approved user and the session still works.
    const after = await store.getUser(target);
    expect(after).toMatchObject({ role: 'user', status: 'approved', odooLink: null });
    expect((await send(url, { method: 'GET', path: '/api/auth/me', headers: { Cookie: adminSession.cookie } })).status).toBe(200);
    // Safe methods pass with any Origin (SameSite=Lax sends the cookie on top-level navigation).
    expect((await send(url, { method: 'GET', path: '/api/admin/users', headers: { Cookie: adminSession.cookie, Origin: 'https://evil.test', 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(200);
    // The same write from this site passes.
    // Without the session's CSRF token (or with another session's), the same-site write is refused too.
    const sameHeaders = { Cookie: adminSession.cookie, Origin: url, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' };
    const noToken = await send(url, { method: 'PUT', path: `/api/admin/users/${target}/role`, headers: sameHeaders, body: '{"role":"admin"}' });
    expect([noToken.status, codeOf(noToken)]).toEqual([403, 'csrf_failed']);
    const otherSession = await sessionOf(world, 'csrf-other@contoso.test', 'user');
    const wrongToken = await send(url, { method: 'PUT', path: `/api/admin/users/${target}/role`, headers: { ...sameHeaders, 'X-CSRF-Token': otherSession.csrfToken }, body: '{"role":"admin"}' });
    expect([wrongToken.status, codeOf(wrongToken)]).toEqual([403, 'csrf_failed']);
    expect(await store.getUser(target)).toMatchObject({ role: 'user' });
    const same = await send(url, { method: 'PUT', path: `/api/admin/users/${target}/role`, headers: { ...sameHeaders, 'X-CSRF-Token': adminSession.csrfToken }, body: '{"role":"user"}' });
    expect(same.status).toBe(200);
    // So does one from the public origin, the server being reached through a proxy under another host.
    const viaProxy = await send(url, { method: 'PUT', path: `/api/admin/users/${target}/role`, headers: { Cookie: adminSession.cookie, Origin: publicOrigin, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json', 'X-CSRF-Token': adminSession.csrfToken }, body: '{"role":"user"}' });
    expect(viaProxy.status).toBe(200);
    // API keys are not cookies: a cross-site Origin does not matter to them.
    const byKey = await send(url, { method: 'PUT', path: '/api/sync/settings', headers: { Authorization: `Bearer ${world.keys['admin']}`, Origin: 'https://evil.test', 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' }, body: '{"intervalMinutes":15}' });
    expect(byKey.status).toBe(200);
    console.log(`CSRF: ${writes.length} cookie-authenticated writes × ${crossSite.length} cross-site variants, ${refused} refused, ${problems.length} let through`);
    expect(problems).toEqual([]);
  });
});
