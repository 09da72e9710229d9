/**
 * The access matrix: every route of the route table, called by every kind of caller (nobody, a
 * bad or malformed key, a forged session, pending and rejected users, a user, an admin, and
 * their browser sessions), each answer checked against the route's declared access; escalation
 * probes (a user making themself admin, approving themself, linking someone else, …) that must
 * all be refused. Against the real server with Microsoft 365 (FakeEntraId) and without it (the
 * default configuration).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute } from '../../../packages/koa-server/src/index.js';
import { leaksIn, send, startHttpWorld, type Caller, type HttpWorld, type RawAnswer } from './world.js';

let ms365: HttpWorld;
let plain: HttpWorld;
beforeAll(async () => {
  ms365 = await startHttpWorld({ ms365: true });
  plain = await startHttpWorld({ ms365: false });
}, 180_000);
afterAll(async () => {
  await ms365?.close();
  await plain?.close();
});

/** The route's path with harmless parameters: no user has this id, the right webhook secret. */
function concretePath(world: HttpWorld, route: AnyRoute): string {
  return route.path.replace(':secret', world.webhookSecret).replace(':id', 'no-such-user').replace(':odooId', '1');
}

function callRoute(world: HttpWorld, route: AnyRoute, headers: Record<string, string>): Promise<RawAnswer> {
  const body = route.body ? '{}' : undefined;
  return send(world.url, {
    method: route.method,
    path: concretePath(world, route),
    headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });
}

const codeOf = (answer: RawAnswer): string | undefined => (answer.json as { error?: { code?: string } } | undefined)?.error?.code;

/**
 * What is wrong with `answer` for `caller` on `route`, or `null`. The route table's `access` is
 * the rule: `user` and `admin` routes answer 401 `unauthenticated` without valid credentials and
 * 403 `forbidden` to users who are not approved or lack the role, and never either to those who
 * may call them; public routes never refuse by who calls (except `/api/auth/me`, which needs
 * credentials and answers for exactly the caller).
 */
function verdict(route: AnyRoute, caller: Caller, answer: RawAnswer): string | null {
  const code = codeOf(answer);
  const refusedAs = (status: number, expected: string) =>
    answer.status === status && code === expected ? null : `expected ${status} ${expected}, got ${answer.status} ${code ?? answer.text.slice(0, 80)}`;
  if (answer.status >= 500) return `5xx: ${answer.status} ${answer.text.slice(0, 120)}`;
  const allowed = (answer.status === 401 && code === 'unauthenticated') || answer.status === 403 ? `refused: ${answer.status} ${code}` : null;
  if (route.access === 'user' || route.access === 'admin') {
    if (caller.kind === 'none' || caller.kind === 'invalid') return refusedAs(401, 'unauthenticated');
    if (caller.kind === 'pending' || caller.kind === 'rejected') return refusedAs(403, 'forbidden');
    if (route.access === 'admin' && caller.kind === 'user') return refusedAs(403, 'forbidden');
    return allowed;
  }
  if (route.access === 'webhook') return allowed ?? (answer.status === 404 ? `the right secret answered 404 ${code}` : null);
  if (route.operationId === 'me') {
    if (caller.kind === 'none' || caller.kind === 'invalid') return refusedAs(401, 'unauthenticated');
    const me = answer.json as { user?: { id?: string }; authMethod?: string } | undefined;
    if (answer.status !== 200 || me?.user?.id !== caller.userId) return `expected 200 for ${caller.userId}, got ${answer.status} ${answer.text.slice(0, 120)}`;
    return me.authMethod === (caller.cookie ? 'session' : 'api_key') ? null : `authMethod ${me.authMethod}`;
  }
  if (route.operationId === 'logout') return answer.status === 204 ? null : `expected 204, got ${answer.status} ${answer.text.slice(0, 120)}`;
  // The callback without a sign-in started in this browser is a documented 401.
  if (route.operationId === 'loginCallback' && answer.status === 401 && code === 'unauthenticated') return null;
  return answer.status === 403 || answer.status === 401 ? `a public route refused: ${answer.status} ${code}` : null;
}

describe('access matrix', () => {
  it('the OpenAPI document declares the access the route table enforces', async () => {
    for (const world of [ms365, plain]) {
      const doc = (await send(world.url, { method: 'GET', path: '/api/openapi.json' })).json as {
        paths: Record<string, Record<string, { operationId: string; security: unknown[]; 'x-required-role'?: string }>>;
      };
      const declared = new Map(Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => [op.operationId, op] as const)));
      for (const route of world.routes) {
        const op = declared.get(route.operationId);
        expect(op, route.operationId).toBeDefined();
        const needsCredentials = route.access === 'user' || route.access === 'admin';
        expect(op!.security.length > 0, `${route.operationId} security`).toBe(needsCredentials);
        expect(op!['x-required-role'], `${route.operationId} x-required-role`).toBe(route.access === 'admin' ? 'admin' : undefined);
      }
    }
  });

  for (const which of ['with Microsoft 365', 'without Microsoft 365'] as const) {
    it(`every route × every caller answers as the route's access says (${which})`, { timeout: 300_000 }, async () => {
      const world = which === 'with Microsoft 365' ? ms365 : plain;
      // Sign-out last: it ends the sessions the other calls use.
      const routes = [...world.routes].sort((a, b) => Number(a.operationId === 'logout') - Number(b.operationId === 'logout'));
      const failures: string[] = [];
      let calls = 0;
      let leaks = 0;
      for (const caller of world.callers) {
        for (const route of routes) {
          const answer = await callRoute(world, route, caller.headers());
          calls++;
          const problem = verdict(route, caller, answer);
          if (problem) failures.push(`${caller.name} → ${route.method} ${route.path}: ${problem}`);
          const leaked = leaksIn(answer, world.secrets());
          leaks += leaked.length > 0 ? 1 : 0;
          if (leaked.length > 0) failures.push(`${caller.name} → ${route.method} ${route.path}: ${leaked.join(', ')}`);
        }
        // A wrong webhook secret is an unknown route for every caller, admins included.
        const wrong = await send(world.url, { method: 'POST', path: '/api/sync/webhook/not-the-secret-0123456789', headers: { ...caller.headers(), 'Content-Type': 'application/json' }, body: '{"_model":"res.partner","_id":1}' });
        calls++;
        if (wrong.status !== 404 || codeOf(wrong) !== 'route_not_found') failures.push(`${caller.name} → webhook with a wrong secret: ${wrong.status}`);
        // Signed out means signed out: the session no longer works anywhere.
        if (caller.cookie && caller.userId !== null) {
          const after = await send(world.url, { method: 'GET', path: '/api/auth/me', headers: caller.headers() });
          calls++;
          if (after.status !== 401) failures.push(`${caller.name} → /api/auth/me after logout: ${after.status}`);
        }
      }
      console.log(
        `access matrix (${which}): ${world.routes.length} routes × ${world.callers.length} callers, ${calls} calls, ${failures.length} failures, ${leaks} leaks`,
      );
      expect(failures).toEqual([]);
    });
  }
});

/** A fresh browser session of a new person, approved (and made admin) by the bootstrap admin as asked. */
async function sessionOf(world: HttpWorld, upn: string, kind: 'pending' | 'user' | 'admin'): Promise<{ userId: string; cookie: string }> {
  const { jar, userId } = await world.signIn(upn);
  const asAdmin = { Authorization: `Bearer ${world.keys['admin']}`, 'Content-Type': 'application/json' };
  if (kind !== 'pending') expect((await send(world.url, { method: 'POST', path: `/api/admin/users/${userId}/approve`, headers: asAdmin })).status).toBe(200);
  if (kind === 'admin') {
    expect((await send(world.url, { method: 'PUT', path: `/api/admin/users/${userId}/role`, headers: asAdmin, body: '{"role":"admin"}' })).status).toBe(200);
  }
  return { userId, cookie: jar.header() };
}

interface Probe {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Statuses that count as refused. */
  refused: number[];
  /** Checks the store afterwards: nothing changed. */
  unchanged?: () => Promise<void>;
}

describe('escalation probes', () => {
  it('refuses every attempt to gain a role, approval, a link or a key one does not have', { timeout: 300_000 }, async () => {
    const world = ms365;
    const store = world.running.store;
    const url = world.url;
    const key = (name: string) => ({ Authorization: `Bearer ${world.keys[name]}` });
    const user = world.userIds['user']!;
    const pending = world.userIds['pending']!;
    const rejected = world.userIds['rejected']!;
    const admin = world.userIds['admin']!;
    const victim = (await store.createUser({ id: 'victim-1', email: 'victim@fuzz.test', name: 'Victim', role: 'user', status: 'approved' }, new Date())).id;
    const userSession = await sessionOf(world, 'esc-user@contoso.test', 'user');
    const pendingSession = await sessionOf(world, 'esc-pending@contoso.test', 'pending');
    const asUserSession = { Cookie: userSession.cookie, Origin: url };
    const asPendingSession = { Cookie: pendingSession.cookie, Origin: url };
    const roleIs = (id: string, role: string, status?: string) => async () => {
      const found = await store.getUser(id);
      expect(found?.role, `${id} role`).toBe(role);
      if (status) expect(found?.status, `${id} status`).toBe(status);
    };
    const notLinked = (id: string) => async () => expect((await store.getUser(id))?.odooLink ?? null, `${id} link`).toBeNull();
    const R = [401, 403];
    const probes: Probe[] = [
      { name: 'a user makes themself admin (key)', method: 'PUT', path: `/api/admin/users/${user}/role`, headers: key('user'), body: { role: 'admin' }, refused: [403], unchanged: roleIs(user, 'user') },
      { name: 'a user makes themself admin (session)', method: 'PUT', path: `/api/admin/users/${userSession.userId}/role`, headers: asUserSession, body: { role: 'admin' }, refused: [403], unchanged: roleIs(userSession.userId, 'user') },
      { name: 'a pending user makes themself admin', method: 'PUT', path: `/api/admin/users/${pending}/role`, headers: key('pending'), body: { role: 'admin' }, refused: [403], unchanged: roleIs(pending, 'user', 'pending') },
      { name: 'a pending user approves themself (key)', method: 'POST', path: `/api/admin/users/${pending}/approve`, headers: key('pending'), refused: [403], unchanged: roleIs(pending, 'user', 'pending') },
      { name: 'a pending user approves themself (session)', method: 'POST', path: `/api/admin/users/${pendingSession.userId}/approve`, headers: asPendingSession, refused: [403], unchanged: roleIs(pendingSession.userId, 'user', 'pending') },
      { name: 'a rejected user approves themself', method: 'POST', path: `/api/admin/users/${rejected}/approve`, headers: key('rejected'), refused: [403], unchanged: roleIs(rejected, 'user', 'rejected') },
      { name: 'a user approves a pending user', method: 'POST', path: `/api/admin/users/${pending}/approve`, headers: key('user'), refused: [403], unchanged: roleIs(pending, 'user', 'pending') },
      { name: 'a user rejects another user', method: 'POST', path: `/api/admin/users/${victim}/reject`, headers: key('user'), refused: [403], unchanged: roleIs(victim, 'user', 'approved') },
      { name: 'a user demotes an admin', method: 'PUT', path: `/api/admin/users/${admin}/role`, headers: key('user'), body: { role: 'user' }, refused: [403], unchanged: roleIs(admin, 'admin', 'approved') },
      { name: 'a user links someone else by hand', method: 'PUT', path: `/api/admin/users/${victim}/odoo-link`, headers: key('user'), body: { odooUserId: 2 }, refused: [403], unchanged: notLinked(victim) },
      { name: 'a user links themself by hand (key)', method: 'PUT', path: `/api/admin/users/${user}/odoo-link`, headers: key('user'), body: { odooUserId: 2 }, refused: [403], unchanged: notLinked(user) },
      { name: 'a user links themself by hand (session)', method: 'PUT', path: `/api/admin/users/${userSession.userId}/odoo-link`, headers: asUserSession, body: { notInOdoo: true }, refused: [403], unchanged: notLinked(userSession.userId) },
      { name: 'a user removes someone else\'s link', method: 'DELETE', path: `/api/admin/users/${victim}/odoo-link`, headers: key('user'), refused: [403] },
      { name: 'a user relinks someone else (userId in the body)', method: 'POST', path: '/api/auth/relink-odoo', headers: key('user'), body: { userId: victim }, refused: [422], unchanged: notLinked(victim) },
      { name: 'a user relinks as someone else (email in the body)', method: 'POST', path: '/api/auth/relink-odoo', headers: key('user'), body: { email: 'victim@fuzz.test' }, refused: [422], unchanged: notLinked(victim) },
      { name: 'a pending user links themself', method: 'POST', path: '/api/auth/relink-odoo', headers: key('pending'), refused: [403], unchanged: notLinked(pending) },
      { name: 'a pending user links themself (session)', method: 'POST', path: '/api/auth/relink-odoo', headers: asPendingSession, refused: [403], unchanged: notLinked(pendingSession.userId) },
      { name: 'a user lists users', method: 'GET', path: '/api/admin/users', headers: key('user'), refused: [403] },
      { name: 'a user lists pending users (session)', method: 'GET', path: '/api/admin/users?status=pending', headers: asUserSession, refused: [403] },
      { name: 'a user searches Odoo candidates', method: 'GET', path: '/api/admin/odoo-candidates?q=a', headers: key('user'), refused: [403] },
      { name: 'a user starts a sync run', method: 'POST', path: '/api/sync/run', headers: key('user'), body: { mode: 'full', force: true }, refused: [403] },
      { name: 'a user changes the sync interval', method: 'PUT', path: '/api/sync/settings', headers: key('user'), body: { intervalMinutes: 60 }, refused: [403], unchanged: async () => expect((await send(url, { method: 'GET', path: '/api/sync/settings', headers: key('admin') })).json).not.toEqual({ intervalMinutes: 60 }) },
      { name: 'a user reads the sync logs', method: 'GET', path: '/api/sync/logs', headers: key('user'), refused: [403] },
      { name: 'a user reads the sync settings', method: 'GET', path: '/api/sync/settings', headers: key('user'), refused: [403] },
      { name: 'a pending user reads records', method: 'GET', path: '/api/partners', headers: key('pending'), refused: [403, 404] },
      { name: 'a pending user reads the sync status (session)', method: 'GET', path: '/api/sync/status', headers: asPendingSession, refused: [403] },
      { name: 'a rejected user reads the sync status', method: 'GET', path: '/api/sync/status', headers: key('rejected'), refused: [403] },
      // Path spellings of an admin route.
      ...['/API/ADMIN/USERS', '/api/admin/users/', '/api//admin/users', '/api/./admin/users', '/api/admin/%75sers', '/api/admin/users;x', '/api/admin/users%2F', '/api/admin/users/..', '/api/admin/users%00', '/api/Admin/Users?status=pending'].map(
        (path): Probe => ({ name: `a user reads ${path}`, method: 'GET', path, headers: key('user'), refused: [403, 404, 405, 422] }),
      ),
      // Credentials in the wrong place, or half of them.
      { name: 'an admin key in the query string', method: 'GET', path: `/api/admin/users?access_token=${world.keys['admin']}`, headers: {}, refused: R },
      { name: 'an admin key in the query string beside a user key', method: 'GET', path: `/api/admin/users?api_key=${world.keys['admin']}`, headers: key('user'), refused: [403, 422] },
      { name: 'an admin key as a cookie', method: 'GET', path: '/api/admin/users', headers: { Cookie: `odoo_sync_session=${world.keys['admin']}` }, refused: R },
      { name: 'an admin key without "Bearer"', method: 'GET', path: '/api/admin/users', headers: { Authorization: world.keys['admin']! }, refused: R },
      { name: 'an admin key in X-Api-Key', method: 'GET', path: '/api/admin/users', headers: { 'X-Api-Key': world.keys['admin']! }, refused: R },
      { name: 'a session id without its signature', method: 'GET', path: '/api/sync/status', headers: { Cookie: userSession.cookie.split('; ').filter((c) => !c.includes('.sig=')).join('; ') }, refused: R },
      {
        name: 'a session id with another cookie\'s signature',
        method: 'GET',
        path: '/api/sync/status',
        headers: { Cookie: userSession.cookie.replace(/odoo_sync_session\.sig=[^;]*/, `odoo_sync_session.sig=${/odoo_sync_session\.sig=([^;]*)/.exec(pendingSession.cookie)?.[1] ?? 'x'}`) },
        refused: R,
      },
      { name: 'an admin key with a trailing character', method: 'GET', path: '/api/admin/users', headers: { Authorization: `Bearer ${world.keys['admin']}x` }, refused: [401] },
      { name: 'an admin key cut short', method: 'GET', path: '/api/admin/users', headers: { Authorization: `Bearer ${world.keys['admin']!.slice(0, -1)}` }, refused: [401] },
      { name: 'an admin key in another case', method: 'GET', path: '/api/admin/users', headers: { Authorization: `Bearer ${world.keys['admin']!.toUpperCase()}` }, refused: [401] },
      // The webhook secret, almost.
      ...[world.webhookSecret.slice(0, -1), `${world.webhookSecret}x`, world.webhookSecret.toUpperCase(), encodeURIComponent(` ${world.webhookSecret}`), `${world.webhookSecret}%2F`].map(
        (secret): Probe => ({ name: `the webhook with a near-miss secret (${secret.length} chars), as admin`, method: 'POST', path: `/api/sync/webhook/${secret}`, headers: key('admin'), body: { _model: 'res.partner', _id: 1 }, refused: [404] }),
      ),
    ];

    const held: string[] = [];
    const broken: string[] = [];
    for (const probe of probes) {
      const body = probe.body === undefined ? undefined : JSON.stringify(probe.body);
      const answer = await send(url, {
        method: probe.method,
        path: probe.path,
        headers: { ...probe.headers, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        ...(body ? { body } : {}),
      });
      if (!probe.refused.includes(answer.status) || leaksIn(answer, world.secrets()).length > 0) {
        broken.push(`${probe.name}: ${answer.status} ${answer.text.slice(0, 160)}`);
        continue;
      }
      await probe.unchanged?.();
      held.push(probe.name);
    }

    // Roles and approvals take effect on the very next request: nothing is cached in a session.
    const changing = await sessionOf(world, 'esc-changing@contoso.test', 'admin');
    const asChanging = { Cookie: changing.cookie };
    const asAdmin = { ...key('admin'), 'Content-Type': 'application/json' };
    const steps: Array<[string, () => Promise<RawAnswer>, number]> = [
      ['admin session lists users', () => send(url, { method: 'GET', path: '/api/admin/users', headers: asChanging }), 200],
      ['demoted', () => send(url, { method: 'PUT', path: `/api/admin/users/${changing.userId}/role`, headers: asAdmin, body: '{"role":"user"}' }), 200],
      ['the same session, demoted, lists users', () => send(url, { method: 'GET', path: '/api/admin/users', headers: asChanging }), 403],
      ['rejected', () => send(url, { method: 'POST', path: `/api/admin/users/${changing.userId}/reject`, headers: asAdmin }), 200],
      ['the same session, rejected, reads the sync status', () => send(url, { method: 'GET', path: '/api/sync/status', headers: asChanging }), 403],
      ['the same session, rejected, still sees who it is', () => send(url, { method: 'GET', path: '/api/auth/me', headers: asChanging }), 200],
    ];
    for (const [name, step, status] of steps) {
      const answer = await step();
      if (answer.status === status) held.push(name);
      else broken.push(`${name}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 160)}`);
    }
    console.log(`escalation probes: ${held.length} held, ${broken.length} broken`);
    expect(broken).toEqual([]);
  });
});

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
    const same = await send(url, { method: 'PUT', path: `/api/admin/users/${target}/role`, headers: { Cookie: adminSession.cookie, Origin: url, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' }, body: '{"role":"user"}' });
    expect(same.status).toBe(200);
    // So does one from the public origin, the server being reached through a proxy under another host.
    const viaProxy = await send(url, { method: 'PUT', path: `/api/admin/users/${target}/role`, headers: { Cookie: adminSession.cookie, Origin: publicOrigin, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' }, body: '{"role":"user"}' });
    expect(viaProxy.status).toBe(200);
    // API keys are not cookies: a cross-site Origin does not matter to them.
    const byKey = await send(url, { method: 'PUT', path: '/api/sync/settings', headers: { Authorization: `Bearer ${world.keys['admin']}`, Origin: 'https://evil.test', 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' }, body: '{"intervalMinutes":15}' });
    expect(byKey.status).toBe(200);
    console.log(`CSRF: ${writes.length} cookie-authenticated writes × ${crossSite.length} cross-site variants, ${refused} refused, ${problems.length} let through`);
    expect(problems).toEqual([]);
  });
});
