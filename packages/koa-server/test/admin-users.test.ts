import { systemClock } from '@odoo-sync/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiKey } from '../src/auth/api-keys.js';
import { call, startTestServer, syncNow, type TestServer } from './helpers.js';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => {
  await s.close();
});

async function userId(email: string): Promise<string> {
  const user = await s.store.getUserByEmail(email);
  if (!user) throw new Error(`no user ${email}`);
  return user.id;
}

async function signedUp(email: string, name: string): Promise<string> {
  const user = await s.store.createUser({ id: `u-${email}`, email, name, role: 'user', status: 'pending' }, new Date());
  return user.id;
}

describe('linking on approval', () => {
  it('links a person to their Odoo user and employee when an admin approves them, only when exactly one person fits', async () => {
    await syncNow(s);
    const admin = await s.store.getUserByEmail('admin@example.com');
    const marc = await signedUp('Marc@Example.com', 'Marc Demo');
    const approved = await call(`${s.url}/api/admin/users/${marc}/approve`, { method: 'POST', key: s.adminKey });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', odooLink: { odooUserId: 6, employeeId: 2, strategy: 'email', linkedBy: admin?.id } });
    expect((await s.store.getUser(marc))?.odooLink).toMatchObject({ odooUserId: 6, employeeId: 2 });

    const nobody = await signedUp('zed@elsewhere.test', 'Zed Nobody');
    const unlinked = await call(`${s.url}/api/admin/users/${nobody}/approve`, { method: 'POST', key: s.adminKey });
    expect(unlinked.status).toBe(200);
    expect(unlinked.json).toMatchObject({ status: 'approved', odooLink: null });
  });

  it('keeps a person an admin marked as not in Odoo unlinked: no approval, sign-in or relink links them', async () => {
    await syncNow(s);
    const issued = await issueApiKey(s.store, { email: 'marc@example.com', role: 'user', clock: systemClock });
    await s.store.updateUser(issued.user.id, { name: 'Marc Demo', status: 'pending' }, new Date());
    const marked = await call(`${s.url}/api/admin/users/${issued.user.id}/odoo-link`, { method: 'PUT', key: s.adminKey, body: { notInOdoo: true } });
    expect(marked.status).toBe(200);
    expect(marked.json.odooLink).toMatchObject({ odooUserId: null, employeeId: null, strategy: 'manual' });
    const approved = await call(`${s.url}/api/admin/users/${issued.user.id}/approve`, { method: 'POST', key: s.adminKey });
    expect(approved.json.odooLink).toMatchObject({ odooUserId: null, employeeId: null, strategy: 'manual' });
    const relink = await call(`${s.url}/api/auth/relink-odoo`, { method: 'POST', key: issued.key });
    expect(relink.status).toBe(409);
    expect(relink.json.error.message).toBe('An admin noted that you are not in Odoo; ask an admin to change it.');
    for (const body of [{ notInOdoo: true, odooUserId: 6 }, {}, { notInOdoo: false }]) {
      expect((await call(`${s.url}/api/admin/users/${issued.user.id}/odoo-link`, { method: 'PUT', key: s.adminKey, body })).status).toBe(422);
    }
  });

  it('links nobody on approval with linkAutomatically: false', async () => {
    const t = await startTestServer({ app: { config: { linkAutomatically: false } } });
    try {
      await syncNow(t);
      const marc = await t.store.createUser({ id: 'u-marc', email: 'marc@example.com', name: 'Marc Demo', role: 'user', status: 'pending' }, new Date());
      const approved = await call(`${t.url}/api/admin/users/${marc.id}/approve`, { method: 'POST', key: t.adminKey });
      expect(approved.json).toMatchObject({ status: 'approved', odooLink: null });
    } finally {
      await t.close();
    }
  });
});

describe('users', () => {
  it('lists users by status, page by page', async () => {
    for (const n of [1, 2, 3]) await signedUp(`new${n}@example.com`, `New ${n}`);
    const first = await call(`${s.url}/api/admin/users?status=pending&limit=2`, { key: s.adminKey });
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await call(`${s.url}/api/admin/users?status=pending&limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`, { key: s.adminKey });
    const emails = [...first.json.items, ...second.json.items].map((u: { email: string }) => u.email).sort();
    expect(emails).toEqual(['new1@example.com', 'new2@example.com', 'new3@example.com', 'pending@example.com']);
    expect(second.json.nextCursor).toBeNull();
    for (const u of [...first.json.items, ...second.json.items]) expect(u).toMatchObject({ status: 'pending', odooLink: null, reauthRequired: false });
    const approved = await call(`${s.url}/api/admin/users?status=approved`, { key: s.adminKey });
    expect(approved.json.items.map((u: { email: string }) => u.email).sort()).toEqual(['admin@example.com', 'user@example.com']);
    expect((await call(`${s.url}/api/admin/users?status=nope`, { key: s.adminKey })).status).toBe(422);
    expect((await call(`${s.url}/api/admin/users?cursor=garbage`, { key: s.adminKey })).status).toBe(422);
  });

  it('approves, rejects and changes roles', async () => {
    const id = await signedUp('ana@example.com', 'Ana');
    const issued = await issueApiKey(s.store, { email: 'ana@example.com', role: 'user', clock: systemClock });
    expect((await call(`${s.url}/api/sync/status`, { key: issued.key })).status).toBe(403);
    const approved = await call(`${s.url}/api/admin/users/${id}/approve`, { method: 'POST', key: s.adminKey });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ id, status: 'approved', role: 'user' });
    expect((await call(`${s.url}/api/sync/status`, { key: issued.key })).status).toBe(200);
    const promoted = await call(`${s.url}/api/admin/users/${id}/role`, { method: 'PUT', key: s.adminKey, body: { role: 'admin' } });
    expect(promoted.json.role).toBe('admin');
    expect((await call(`${s.url}/api/sync/settings`, { key: issued.key })).status).toBe(200);
    const rejected = await call(`${s.url}/api/admin/users/${id}/reject`, { method: 'POST', key: s.adminKey });
    expect(rejected.json.status).toBe('rejected');
    expect((await call(`${s.url}/api/sync/status`, { key: issued.key })).status).toBe(403);
    expect((await call(`${s.url}/api/admin/users/${id}/role`, { method: 'PUT', key: s.adminKey, body: { role: 'owner' } })).status).toBe(422);
    expect((await call(`${s.url}/api/admin/users/nobody/approve`, { method: 'POST', key: s.adminKey })).json.error.code).toBe('not_found');
  });

  it('never demotes or rejects the last admin', async () => {
    const adminId = await userId('admin@example.com');
    const demote = await call(`${s.url}/api/admin/users/${adminId}/role`, { method: 'PUT', key: s.adminKey, body: { role: 'user' } });
    expect(demote.status).toBe(409);
    expect(demote.json.error.code).toBe('conflict');
    const reject = await call(`${s.url}/api/admin/users/${adminId}/reject`, { method: 'POST', key: s.adminKey });
    expect(reject.status).toBe(409);
    expect(await s.store.getUser(adminId)).toMatchObject({ role: 'admin', status: 'approved' });
    // A pending admin does not count; once approved, the first admin may step down.
    await call(`${s.url}/api/admin/users/pending-1/approve`, { method: 'POST', key: s.adminKey });
    const stepDown = await call(`${s.url}/api/admin/users/${adminId}/role`, { method: 'PUT', key: s.adminKey, body: { role: 'user' } });
    expect(stepDown.status).toBe(200);
    expect(stepDown.json.role).toBe('user');
    const lastOne = await call(`${s.url}/api/admin/users/pending-1/reject`, { method: 'POST', key: s.pendingKey });
    expect(lastOne.status).toBe(409);
  });

  it('two admins demoting each other at once leave one admin', async () => {
    const adminId = await userId('admin@example.com');
    await call(`${s.url}/api/admin/users/pending-1/approve`, { method: 'POST', key: s.adminKey });
    const [a, b] = await Promise.all([
      call(`${s.url}/api/admin/users/pending-1/role`, { method: 'PUT', key: s.adminKey, body: { role: 'user' } }),
      call(`${s.url}/api/admin/users/${adminId}/role`, { method: 'PUT', key: s.pendingKey, body: { role: 'user' } }),
    ]);
    // The second either waits for the first and refuses (409) or finds its caller demoted (403).
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    expect(await s.store.countUsers({ role: 'admin', status: 'approved' })).toBe(1);
  });
});

describe('Odoo links by hand', () => {
  it('searches candidates by name and e-mail, ranked', async () => {
    s.source.write('hr.employee', { id: 7, name: 'Marcia Demoulin', work_email: 'marcia@example.com', user_id: false, active: true });
    await syncNow(s);
    const byName = await call(`${s.url}/api/admin/odoo-candidates?q=marc`, { key: s.adminKey });
    expect(byName.status).toBe(200);
    expect(byName.json.items[0]).toMatchObject({ odooUserId: 6, employeeId: 2, name: 'Marc Demo', login: 'marc', email: 'marc@example.com', active: true });
    expect(byName.json.items.map((c: { name: string }) => c.name)).toEqual(['Marc Demo', 'Marcia Demoulin']);
    const byEmail = await call(`${s.url}/api/admin/odoo-candidates?q=${encodeURIComponent('ADMIN@Example.com')}`, { key: s.adminKey });
    expect(byEmail.json.items[0]).toMatchObject({ odooUserId: 2, employeeId: 1, name: 'Mitchell Admin', score: 1 });
    const fuzzy = await call(`${s.url}/api/admin/odoo-candidates?q=${encodeURIComponent('Mitchel Admn')}`, { key: s.adminKey });
    expect(fuzzy.json.items[0]).toMatchObject({ odooUserId: 2 });
    expect((await call(`${s.url}/api/admin/odoo-candidates?q=zzzz`, { key: s.adminKey })).json.items).toEqual([]);
    expect((await call(`${s.url}/api/admin/odoo-candidates?q=`, { key: s.adminKey })).status).toBe(422);
  });

  it('sets a link by hand, then deletes it (the person can then link themself)', async () => {
    await syncNow(s);
    const marc = await issueApiKey(s.store, { email: 'marc@example.com', role: 'user', clock: systemClock });
    const adminId = await userId('admin@example.com');
    const set = await call(`${s.url}/api/admin/users/${marc.user.id}/odoo-link`, { method: 'PUT', key: s.adminKey, body: { odooUserId: 2, employeeId: 1 } });
    expect(set.status).toBe(200);
    expect(set.json.odooLink).toMatchObject({ odooUserId: 2, employeeId: 1, strategy: 'manual', linkedBy: adminId });
    expect((await s.store.getUser(marc.user.id))?.odooLink).toMatchObject({ odooUserId: 2, employeeId: 1, strategy: 'manual' });
    const employeeOnly = await call(`${s.url}/api/admin/users/${marc.user.id}/odoo-link`, { method: 'PUT', key: s.adminKey, body: { employeeId: 2 } });
    expect(employeeOnly.json.odooLink).toMatchObject({ odooUserId: null, employeeId: 2, strategy: 'manual' });
    const removed = await call(`${s.url}/api/admin/users/${marc.user.id}/odoo-link`, { method: 'DELETE', key: s.adminKey });
    expect(removed.status).toBe(200);
    expect(removed.json.odooLink).toBeNull();
    expect((await s.store.getUser(marc.user.id))?.odooLink).toBeNull();
    const self = await call(`${s.url}/api/auth/relink-odoo`, { method: 'POST', key: marc.key });
    expect(self.json.odooLink).toMatchObject({ odooUserId: 6, employeeId: 2, strategy: 'email' });
  });

  it('answers 422 for ids that were never synced, deleted records, an empty body and records that disagree', async () => {
    await syncNow(s);
    const id = await userId('user@example.com');
    const put = (body: unknown) => call(`${s.url}/api/admin/users/${id}/odoo-link`, { method: 'PUT', key: s.adminKey, body });
    const unknown = await put({ odooUserId: 999, employeeId: 998 });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['body.odooUserId', 'body.employeeId']);
    expect((await put({})).status).toBe(422);
    expect((await put({ odooUserId: 'six' })).status).toBe(422);
    const disagree = await put({ odooUserId: 2, employeeId: 2 });
    expect(disagree.status).toBe(422);
    expect(disagree.json.error.details.issues[0].message).toContain('belongs to Odoo user 6');
    s.source.unlink('res.users', [6]);
    await syncNow(s, { force: true });
    expect((await put({ odooUserId: 6 })).status).toBe(422);
    expect((await s.store.getUser(id))?.odooLink).toBeNull();
    expect((await call(`${s.url}/api/admin/users/nobody/odoo-link`, { method: 'PUT', key: s.adminKey, body: { odooUserId: 2 } })).status).toBe(404);
  });
});

describe('authorisation', () => {
  it('every admin route answers 401 anonymously, 403 to a user and to a pending admin', async () => {
    await syncNow(s);
    const id = await userId('user@example.com');
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/admin/users'],
      ['POST', `/api/admin/users/${id}/approve`],
      ['POST', `/api/admin/users/${id}/reject`],
      ['PUT', `/api/admin/users/${id}/role`, { role: 'admin' }],
      ['GET', '/api/admin/odoo-candidates?q=marc'],
      ['PUT', `/api/admin/users/${id}/odoo-link`, { odooUserId: 6 }],
      ['DELETE', `/api/admin/users/${id}/odoo-link`],
    ];
    for (const [method, path, body] of routes) {
      const init = { method, ...(body ? { body } : {}) };
      expect([method, path, (await call(`${s.url}${path}`, init)).status]).toEqual([method, path, 401]);
      expect([method, path, (await call(`${s.url}${path}`, { ...init, key: s.userKey })).status]).toEqual([method, path, 403]);
      expect([method, path, (await call(`${s.url}${path}`, { ...init, key: s.pendingKey })).status]).toEqual([method, path, 403]);
    }
    expect(await s.store.getUser(id)).toMatchObject({ role: 'user', status: 'approved', odooLink: null });
  });
});

describe('GET /api/sync/status', () => {
  it('counts the employees and Odoo users synced', async () => {
    await syncNow(s);
    const status = await call(`${s.url}/api/sync/status`, { key: s.userKey });
    expect(status.json).toMatchObject({ employeesSynced: 2, odooUsersSynced: 2 });
  });
});
