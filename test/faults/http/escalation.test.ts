/**
 * Escalation probes against the real server (SQLite, odoo-sim, Microsoft 365 on FakeEntraId):
 * a user making themself admin, approving themself, linking someone else, credentials in the
 * wrong place, other spellings of admin paths, near-miss webhook secrets. Every probe must be
 * refused and leave the store unchanged; role changes take effect on the next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksIn, send, sessionOf, startHttpWorld, type HttpWorld, type RawAnswer } from './world.js';

let ms365: HttpWorld;
beforeAll(async () => {
  ms365 = await startHttpWorld({ ms365: true });
}, 120_000);
afterAll(async () => {
  await ms365?.close();
});

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
    const asUserSession = { Cookie: userSession.cookie, Origin: url, 'X-CSRF-Token': userSession.csrfToken };
    const asPendingSession = { Cookie: pendingSession.cookie, Origin: url, 'X-CSRF-Token': pendingSession.csrfToken };
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
      { name: 'a pending user reads records', method: 'GET', path: '/api/contacts', headers: key('pending'), refused: [403] },
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
