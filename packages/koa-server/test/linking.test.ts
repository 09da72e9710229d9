import { systemClock } from '@odoo-sync/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiKey } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/runtime/config.js';
import { Writable } from 'node:stream';
import { createLogger } from '../src/runtime/logger.js';
import { OdooDirectoryCache } from '../src/linking/odoo-directory.js';
import { linkIfUnlinked } from '../src/linking/link.js';
import { call, startTestServer, syncNow, type TestServer } from './helpers.js';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => {
  await s.close();
});

/** An approved user with an API key, the given sign-in e-mail and display name. */
async function person(email: string, name: string, status: 'approved' | 'pending' = 'approved'): Promise<{ id: string; key: string }> {
  const issued = await issueApiKey(s.store, { email, role: 'user', clock: systemClock });
  await s.store.updateUser(issued.user.id, { name, status }, new Date());
  return { id: issued.user.id, key: issued.key };
}

const relink = (key: string, body?: unknown) => call(`${s.url}/api/auth/relink-odoo`, { method: 'POST', key, ...(body !== undefined ? { body } : {}) });

describe('linkIfUnlinked', () => {
  it('never stops what called it: a failing directory leaves the person unlinked and is logged', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk: Buffer, _e, done) => {
          lines.push(chunk.toString('utf8'));
          done();
        }, }) });
    const failing = { get: () => Promise.reject(new Error('store unreachable')) } as unknown as OdooDirectoryCache;
    const marc = await s.store.createUser({ id: 'u-marc', email: 'marc@example.com', name: 'Marc Demo', role: 'user', status: 'approved' }, new Date());
    const after = await linkIfUnlinked({ store: s.store, clock: systemClock, logger }, failing, marc, marc.id);
    expect(after).toEqual(marc);
    expect(lines.join('')).toContain('odoo link attempt failed');
    expect(lines.join('')).toContain('store unreachable');
  });

  it('leaves alone pending people, people already linked, and everyone when there is no directory', async () => {
    await syncNow(s);
    const directory = new OdooDirectoryCache({ store: s.store, clock: systemClock });
    const deps = { store: s.store, clock: systemClock, logger: createLogger({ level: 'silent' }) };
    const pending = await s.store.createUser({ id: 'u-p', email: 'marc@example.com', name: 'Marc Demo', role: 'user', status: 'pending' }, new Date());
    expect((await linkIfUnlinked(deps, directory, pending, pending.id)).odooLink).toBeNull();
    const approved = await s.store.updateUser(pending.id, { status: 'approved' }, new Date());
    expect((await linkIfUnlinked(deps, null, approved, approved.id)).odooLink).toBeNull();
    const manual = await s.store.updateUser(
      pending.id,
      { odooLink: { odooUserId: 2, employeeId: 1, strategy: 'manual', linkedAt: new Date().toISOString(), linkedBy: 'admin' } },
      new Date(),
    );
    expect((await linkIfUnlinked(deps, directory, manual, manual.id)).odooLink).toMatchObject({ odooUserId: 2, strategy: 'manual' });
    const unlinked = await s.store.updateUser(pending.id, { odooLink: null }, new Date());
    expect((await linkIfUnlinked(deps, directory, unlinked, unlinked.id)).odooLink).toMatchObject({ odooUserId: 6, strategy: 'email' });
  });
});

describe('POST /api/auth/relink-odoo', () => {
  it('links by e-mail (case and +tag ignored) and stores the link', async () => {
    await syncNow(s);
    const marc = await person('MARC+crm@Example.com', 'M. D.');
    const res = await relink(marc.key);
    expect(res.status).toBe(200);
    expect(res.json.odooLink).toMatchObject({ odooUserId: 6, employeeId: 2, strategy: 'email', linkedBy: marc.id });
    expect(res.json.evidence).toMatchObject({ matchedOn: 'email', value: 'marc@example.com' });
    expect(res.json.message).toContain('e-mail');
    const stored = await s.store.getUser(marc.id);
    expect(stored?.odooLink).toMatchObject({ odooUserId: 6, employeeId: 2, strategy: 'email', linkedBy: marc.id });
    const me = await call(`${s.url}/api/auth/me`, { key: marc.key });
    expect(me.json.user.odooLink).toMatchObject({ odooUserId: 6, employeeId: 2 });
  });

  it("links by one of the person's other addresses (their Microsoft 365 sign-in name)", async () => {
    await syncNow(s);
    const marc = await person('marc.demo@contoso.test', 'Marc Demo');
    expect((await relink(marc.key)).status).toBe(409);
    await s.store.updateUser(marc.id, { otherEmails: ['MARC@example.com'] }, new Date());
    const res = await relink(marc.key);
    expect(res.status).toBe(200);
    expect(res.json.odooLink).toMatchObject({ odooUserId: 6, employeeId: 2, strategy: 'email' });
    expect(res.json.user.otherEmails).toEqual(['MARC@example.com']);
  });

  it('links by name ("Last, First", accents) when the e-mail is unknown but spells the name', async () => {
    s.source.write('hr.employee', { id: 3, name: 'Ána Soúza', work_email: false, user_id: false, department_id: [2, 'Sales'], job_title: 'Account manager', active: true });
    await syncNow(s);
    const ana = await person('ana.souza@example.com', 'Souza, Ana');
    const res = await relink(ana.key);
    expect(res.status).toBe(200);
    expect(res.json.odooLink).toMatchObject({ odooUserId: null, employeeId: 3, strategy: 'name' });
    expect((await s.store.getUser(ana.id))?.odooLink?.strategy).toBe('name');
  });

  it('answers 404 with what was tried, ranked suggestions and a sentence a salesperson understands', async () => {
    await syncNow(s);
    const marco = await person('marco.demo@other.org', 'Marco Demo');
    const res = await relink(marco.key);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
    expect(res.json.error.details).toMatchObject({ matchCode: 'no_match', strategy: null, tried: ['email', 'name', 'salesperson'] });
    expect(res.json.error.details.reason).toContain('marco.demo@other.org');
    expect(res.json.error.details.suggestions[0]).toMatchObject({ odooUserId: 6, employeeId: 2, name: 'Marc Demo', email: 'marc@example.com' });
    expect(res.json.error.message).toBe(
      'No Odoo user or employee has the e-mail marco.demo@other.org or the name Marco Demo. Closest: Marc Demo (marc@example.com) — ask an admin to link you.',
    );
    expect((await s.store.getUser(marco.id))?.odooLink).toBeNull();
  });

  it('answers 409 for homonyms and links nobody', async () => {
    s.source.write('hr.employee', { id: 4, name: 'Jean Dupont', work_email: false, user_id: false, department_id: [2, 'Sales'], job_title: 'Sales', active: true });
    s.source.write('hr.employee', { id: 5, name: 'Dupont, Jean', work_email: false, user_id: false, department_id: [1, 'Management'], job_title: 'CFO', active: true });
    await syncNow(s);
    const jean = await person('jean.dupont@example.com', 'Jean Dupont');
    const res = await relink(jean.key);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('conflict');
    expect(res.json.error.details.matchCode).toBe('several_candidates');
    expect(res.json.error.details.strategy).toBe('name');
    const ids = res.json.error.details.suggestions.slice(0, 2).map((x: { employeeId: number }) => x.employeeId).sort();
    expect(ids).toEqual([4, 5]);
    expect(res.json.error.message).toMatch(/Candidates: .*ask an admin to link you\.$/);
    expect((await s.store.getUser(jean.id))?.odooLink).toBeNull();
  });

  it('sees Odoo changes synced after an earlier attempt', async () => {
    await syncNow(s);
    const ana = await person('ana@example.com', 'Ana Lima');
    expect((await relink(ana.key)).status).toBe(404);
    s.source.write('res.users', { id: 9, login: 'ana@example.com', name: 'Ana Lima', email: 'ana@example.com', share: false, active: true });
    await syncNow(s);
    const res = await relink(ana.key);
    expect(res.status).toBe(200);
    expect(res.json.odooLink).toMatchObject({ odooUserId: 9, employeeId: null, strategy: 'email' });
  });

  it('never replaces a link an admin made by hand', async () => {
    await syncNow(s);
    const marc = await person('marc@example.com', 'Marc Demo');
    const admin = await call(`${s.url}/api/admin/users/${marc.id}/odoo-link`, { method: 'PUT', key: s.adminKey, body: { odooUserId: 2 } });
    expect(admin.status).toBe(200);
    const res = await relink(marc.key);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('conflict');
    expect((await s.store.getUser(marc.id))?.odooLink).toMatchObject({ odooUserId: 2, strategy: 'manual' });
  });
});

describe('authorisation', () => {
  it('a user can link only themself: a body naming someone else is refused and changes nothing', async () => {
    await syncNow(s);
    const marc = await person('marc@example.com', 'Marc Demo');
    const other = await person('someone@example.com', 'Someone');
    const res = await relink(other.key, { userId: marc.id });
    expect(res.status).toBe(422);
    expect(res.json.error.details.issues[0].message).toContain('userId');
    expect((await s.store.getUser(marc.id))?.odooLink).toBeNull();
    const viaAdminRoute = await call(`${s.url}/api/admin/users/${marc.id}/odoo-link`, { method: 'PUT', key: other.key, body: { odooUserId: 6 } });
    expect(viaAdminRoute.status).toBe(403);
    expect((await s.store.getUser(marc.id))?.odooLink).toBeNull();
  });

  it('401 without credentials, 403 for a pending user', async () => {
    await syncNow(s);
    expect((await call(`${s.url}/api/auth/relink-odoo`, { method: 'POST' })).status).toBe(401);
    const waiting = await person('marc@example.com', 'Marc Demo', 'pending');
    const res = await relink(waiting.key);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('forbidden');
    expect((await s.store.getUser(waiting.id))?.odooLink).toBeNull();
  });
});

describe('LINK_DOMAIN_ALIASES', () => {
  /** Replaces the default server by one configured from these environment variables. */
  async function serverWithEnv(env: Record<string, string>): Promise<void> {
    await s.close();
    s = await startTestServer({ app: { config: loadConfig(env, { envFile: false }) } });
  }
  /** Ana is known in Odoo under the canonical domain only. */
  async function syncAna(): Promise<void> {
    s.source.write('res.users', { id: 12, login: 'ana.souza@acme.com', name: 'Ana Souza', email: 'ana.souza@acme.com', share: false, active: true });
    s.source.write('hr.employee', { id: 12, name: 'Ana Souza', work_email: 'ana.souza@acme.com', user_id: [12, 'Ana Souza'], department_id: [2, 'Sales'], job_title: 'Account manager', active: true });
    await syncNow(s);
  }
  const candidates = (q: string) => call(`${s.url}/api/admin/odoo-candidates?q=${encodeURIComponent(q)}`, { key: s.adminKey });

  it('without it, a person signing in under the alias domain is not linked', async () => {
    await syncAna();
    const ana = await person('ana.souza@acme.eu', 'Ana Souza');
    const res = await relink(ana.key);
    expect(res.status).toBe(409);
    expect(res.json.error.details.matchCode).toBe('email_conflict');
    expect((await s.store.getUser(ana.id))?.odooLink).toBeNull();
    const found = await candidates('ana.souza@acme.eu');
    expect(found.status).toBe(200);
    // Only a fuzzy name hit: the address itself is not Ana's.
    expect(found.json.items.find((c: { odooUserId: number }) => c.odooUserId === 12)?.score ?? 0).toBeLessThan(0.9);
  });

  it('with acme.eu=acme.com, the same person is linked by e-mail and the admin search finds them', async () => {
    await serverWithEnv({ LINK_DOMAIN_ALIASES: 'acme.eu=acme.com' });
    await syncAna();
    const ana = await person('ana.souza@acme.eu', 'Ana Souza');
    const res = await relink(ana.key);
    expect(res.status).toBe(200);
    expect(res.json.odooLink).toMatchObject({ odooUserId: 12, employeeId: 12, strategy: 'email', linkedBy: ana.id });
    expect(res.json.evidence).toMatchObject({ matchedOn: 'email', value: 'ana.souza@acme.com' });
    expect((await s.store.getUser(ana.id))?.odooLink).toMatchObject({ odooUserId: 12, employeeId: 12, strategy: 'email' });
    const found = await candidates('Ana.Souza@ACME.eu');
    expect(found.json.items[0]).toMatchObject({ odooUserId: 12, employeeId: 12, email: 'ana.souza@acme.com', score: 1 });
  });

  it('the cache refuses aliases core refuses, when it is made', () => {
    expect(() => new OdooDirectoryCache({ store: s.store, clock: systemClock, domainAliases: { 'acme.eu': '' } })).toThrow(TypeError);
    expect(() => new OdooDirectoryCache({ store: s.store, clock: systemClock, domainAliases: { 'acme.eu': 'acme.com' } })).not.toThrow();
  });

  it('does not make other domains one: a person at acme.de stays unlinked', async () => {
    await serverWithEnv({ LINK_DOMAIN_ALIASES: 'acme.eu=acme.com' });
    await syncAna();
    const ana = await person('ana.souza@acme.de', 'Ana Souza');
    const res = await relink(ana.key);
    expect(res.status).toBe(409);
    expect(res.json.error.details.matchCode).toBe('email_conflict');
    expect((await s.store.getUser(ana.id))?.odooLink).toBeNull();
  });
});
