/**
 * The access matrix: every route of the route table, called by every kind of caller (nobody, a
 * bad or malformed key, a forged session, pending and rejected users, a user, an admin, and
 * their browser sessions), each answer checked against the route's declared access. Against
 * the real server with Microsoft 365 (FakeEntraId) and without it (the default configuration).
 * Escalation probes and CSRF have their own files beside this one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute } from '../../../packages/koa-server/src/http/route.js';
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
 * credentials and answers for exactly the caller, and the admin pages, which show approved users who are not
 * admins an "Admins only" page).
 */
function verdict(route: AnyRoute, caller: Caller, answer: RawAnswer, odooLinked: boolean): string | null {
  const code = codeOf(answer);
  const refusedAs = (status: number, expected: string) =>
    answer.status === status && code === expected ? null : `expected ${status} ${expected}, got ${answer.status} ${code ?? answer.text.slice(0, 80)}`;
  if (answer.status >= 500) return `5xx: ${answer.status} ${answer.text.slice(0, 120)}`;
  const allowed = (answer.status === 401 && code === 'unauthenticated') || answer.status === 403 ? `refused: ${answer.status} ${code}` : null;
  if (route.access === 'user' || route.access === 'admin') {
    if (caller.kind === 'none' || caller.kind === 'invalid') return refusedAs(401, 'unauthenticated');
    if (caller.kind === 'pending' || caller.kind === 'rejected') return refusedAs(403, 'forbidden');
    if (route.access === 'admin' && caller.kind === 'user') return refusedAs(403, 'forbidden');
    // Routes that write to Odoo on the caller's behalf refuse callers without an Odoo user.
    if (route.needsOdooLink === true && !odooLinked) return refusedAs(403, 'forbidden');
    return allowed;
  }
  if (route.access === 'webhook') return allowed ?? (answer.status === 404 ? `the right secret answered 404 ${code}` : null);
  if (route.operationId === 'me') {
    if (caller.kind === 'none' || caller.kind === 'invalid') return refusedAs(401, 'unauthenticated');
    const me = answer.json as { user?: { id?: string }; authMethod?: string } | undefined;
    if (answer.status !== 200 || me?.user?.id !== caller.userId) return `expected 200 for ${caller.userId}, got ${answer.status} ${answer.text.slice(0, 120)}`;
    return me.authMethod === (caller.cookie ? 'session' : 'api_key') ? null : `authMethod ${me.authMethod}`;
  }
  // The admin pages show an approved user who is not an admin an "Admins only" page (403, HTML).
  if (route.tag === 'pages' && route.path.startsWith('/admin') && caller.kind === 'user') {
    return answer.status === 403 && String(answer.headers['content-type'] ?? '').startsWith('text/html') ? null : `expected the 403 "Admins only" page, got ${answer.status}`;
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
        const me = await send(world.url, { method: 'GET', path: '/api/auth/me', headers: caller.headers() });
        const odooLinked = ((me.json as { user?: { odooLink?: { odooUserId?: number | null } | null } } | undefined)?.user?.odooLink?.odooUserId ?? null) !== null;
        calls++;
        for (const route of routes) {
          const answer = await callRoute(world, route, caller.headers());
          calls++;
          const problem = verdict(route, caller, answer, odooLinked);
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
