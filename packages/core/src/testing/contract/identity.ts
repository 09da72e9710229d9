/**
 * The identity contract: the cases of the identity ports (users and API keys, token caches).
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { IdentityPorts } from '../../ports.js';
import type { ContractOptions, IdentityHarness } from '../harness.js';
import { apiKey, at, collectPages, expectCode } from './fixtures.js';
import { type CaseContext, runContract } from './runner.js';

/** Registers the cases of `UserStore` (users and API keys). */
export function defineUserCases(context: CaseContext<IdentityHarness>): void {
  let harness: IdentityHarness;
  let store: IdentityPorts;
  context.onHarness((fresh) => {
    harness = fresh;
    store = fresh.store;
  });

  describe('UserStore', () => {
    const newUser = (id: string, email: string, minutes = 0) =>
      store.createUser({ id, email, name: `User ${id}`, role: 'user', status: 'pending' }, at(minutes));

    it('creates and reads users by id and by e-mail, case-insensitively', async () => {
      const user = await newUser('u1', 'Ana.Souza@Example.com');
      expect(user).toEqual({
        id: 'u1',
        email: 'Ana.Souza@Example.com',
        name: 'User u1',
        role: 'user',
        status: 'pending',
        odooLink: null,
        otherEmails: [],
        reauthRequired: false,
        identity: null,
        createdAt: at(0).toISOString(),
        updatedAt: at(0).toISOString(),
      });
      expect(await store.getUser('u1')).toEqual(user);
      expect((await store.getUserByEmail('  ana.souza@example.COM ')))?.toEqual(user);
      expect(await store.getUser('nope')).toBeNull();
      expect(await store.getUserByEmail('nobody@example.com')).toBeNull();
    });

    it("keeps a user's other e-mail addresses, given at creation or changed later", async () => {
      const created = await store.createUser(
        { id: 'u1', email: 'a.souza@example.com', name: 'Ana', role: 'user', status: 'pending', otherEmails: ['Ana.Souza@example.com'] },
        at(0),
      );
      expect(created.otherEmails).toEqual(['Ana.Souza@example.com']);
      expect((await store.getUser('u1'))?.otherEmails).toEqual(['Ana.Souza@example.com']);
      const changed = await store.updateUser('u1', { otherEmails: ['ana@example.eu', 'ana.souza@example.com'] }, at(1));
      expect(changed.otherEmails).toEqual(['ana@example.eu', 'ana.souza@example.com']);
      expect((await store.getUserByEmail('A.Souza@example.com'))?.otherEmails).toEqual(['ana@example.eu', 'ana.souza@example.com']);
      expect((await store.updateUser('u1', { name: 'Ana Souza' }, at(2))).otherEmails).toEqual(['ana@example.eu', 'ana.souza@example.com']);
      expect((await store.updateUser('u1', { otherEmails: [] }, at(3))).otherEmails).toEqual([]);
      expect((await store.listUsers()).items[0]?.otherEmails).toEqual([]);
    });

    it('stores an identity, finds the user by it case-insensitively, and never matches a user without one', async () => {
      const identity = { tenantId: 'AAAAAAAA-1111-4111-8111-111111111111', objectId: 'BBBBBBBB-2222-4222-8222-222222222222' };
      const ana = await store.createUser({ id: 'u1', email: 'ana@example.com', name: 'Ana', role: 'user', status: 'pending', identity }, at(0));
      const lower = { tenantId: identity.tenantId.toLowerCase(), objectId: identity.objectId.toLowerCase() };
      expect(ana.identity).toEqual(lower);
      await newUser('u2', 'bob@example.com');
      expect(await store.getUserByIdentity(lower)).toEqual(ana);
      expect((await store.getUserByIdentity({ tenantId: ` ${identity.tenantId}`, objectId: identity.objectId }))?.id).toBe('u1');
      expect(await store.getUserByIdentity({ tenantId: lower.tenantId, objectId: 'cccccccc-3333-4333-8333-333333333333' })).toBeNull();
      expect(await store.getUserByIdentity({ tenantId: 'dddddddd-4444-4444-8444-444444444444', objectId: lower.objectId })).toBeNull();
      expect((await store.getUser('u2'))?.identity).toBeNull();
      // What landed: the identity is on Ana's row and on no one else's.
      expect(JSON.stringify(await harness.inspect.rawUser('u1'))).toContain(lower.objectId);
      expect(JSON.stringify(await harness.inspect.rawUser('u2'))).not.toContain(lower.objectId);
      expect(await harness.inspect.rawUser('nobody')).toBeNull();
      // Set later on a user who had none (a first sign-in), kept by other changes, removable.
      const bobIdentity = { tenantId: lower.tenantId, objectId: 'eeeeeeee-5555-4555-8555-555555555555' };
      expect((await store.updateUser('u2', { identity: bobIdentity }, at(1))).identity).toEqual(bobIdentity);
      expect((await store.updateUser('u2', { name: 'Bob' }, at(2))).identity).toEqual(bobIdentity);
      expect((await store.getUserByIdentity(bobIdentity))?.id).toBe('u2');
      expect((await store.listUsers()).items.map((u) => u.identity)).toEqual([lower, bobIdentity]);
      expect((await store.updateUser('u2', { identity: null }, at(3))).identity).toBeNull();
      expect(await store.getUserByIdentity(bobIdentity)).toBeNull();
      expect(JSON.stringify(await harness.inspect.rawUser('u2'))).not.toContain(bobIdentity.objectId);
    });

    it('refuses a second user with the same identity (any case), on create and on update, and writes nothing', async () => {
      const identity = { tenantId: 'aaaaaaaa-1111-4111-8111-111111111111', objectId: 'bbbbbbbb-2222-4222-8222-222222222222' };
      const shouted = { tenantId: identity.tenantId.toUpperCase(), objectId: identity.objectId.toUpperCase() };
      await store.createUser({ id: 'u1', email: 'ana@example.com', name: 'Ana', role: 'admin', status: 'approved', identity }, at(0));
      await expectCode(store.createUser({ id: 'u2', email: 'eve@example.com', name: 'Eve', role: 'user', status: 'pending', identity: shouted }, at(1)), 'conflict');
      expect(await store.getUser('u2')).toBeNull();
      expect(await harness.inspect.rawUser('u2')).toBeNull();
      await newUser('u3', 'eve@example.com');
      await expectCode(store.updateUser('u3', { identity: shouted, email: 'eve2@example.com' }, at(2)), 'conflict');
      expect(await store.getUser('u3')).toMatchObject({ identity: null, email: 'eve@example.com' });
      expect(JSON.stringify(await harness.inspect.rawUser('u3'))).not.toContain(identity.objectId);
      expect((await store.getUserByIdentity(identity))?.id).toBe('u1');
      // Two users without an identity never collide.
      await newUser('u4', 'carl@example.com');
      expect(await store.countUsers()).toBe(3);
    });

    it('refuses a duplicate e-mail (any case) or id with a conflict', async () => {
      await newUser('u1', 'ana@example.com');
      await expectCode(newUser('u2', 'ANA@example.com'), 'conflict');
      await expectCode(newUser('u1', 'other@example.com'), 'conflict');
    });

    it('updates users, including their Odoo link, and reports unknown ids', async () => {
      await newUser('u1', 'ana@example.com');
      const link = { odooUserId: 7, employeeId: 12, strategy: 'email' as const, linkedAt: at(2).toISOString(), linkedBy: 'u1' };
      const updated = await store.updateUser('u1', { status: 'approved', role: 'admin', odooLink: link, reauthRequired: true }, at(3));
      expect(updated).toMatchObject({ status: 'approved', role: 'admin', odooLink: link, reauthRequired: true, updatedAt: at(3).toISOString() });
      expect(await store.getUser('u1')).toEqual(updated);
      const unlinked = await store.updateUser('u1', { odooLink: null }, at(4));
      expect(unlinked.odooLink).toBeNull();
      await expectCode(store.updateUser('missing', { status: 'approved' }, at(4)), 'not_found');
    });

    it('refuses to change an e-mail to one another user has', async () => {
      await newUser('u1', 'ana@example.com');
      await newUser('u2', 'bob@example.com');
      await expectCode(store.updateUser('u2', { email: 'ANA@example.com' }, at(1)), 'conflict');
      expect((await store.updateUser('u1', { email: 'Ana@Example.com' }, at(1))).email).toBe('Ana@Example.com');
    });

    it('lists and counts users with filters and pagination', async () => {
      for (let i = 0; i < 7; i++) await newUser(`u${i}`, `u${i}@example.com`, i);
      await store.updateUser('u3', { status: 'approved', role: 'admin' }, at(10));
      await store.updateUser('u5', { status: 'approved' }, at(10));
      expect((await store.listUsers({ status: 'approved' })).items.map((u) => u.id)).toEqual(['u3', 'u5']);
      expect((await store.listUsers({ role: 'admin' })).items.map((u) => u.id)).toEqual(['u3']);
      expect(await store.countUsers()).toBe(7);
      expect(await store.countUsers({ status: 'pending' })).toBe(5);
      expect(await store.countUsers({ role: 'admin', status: 'approved' })).toBe(1);
      const pages = await collectPages((cursor) => store.listUsers({ limit: 3, cursor }));
      expect(pages.flat().map((u) => u.id)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    });

    it('stores API keys by hash, finds only unrevoked ones, and touches and revokes them', async () => {
      await newUser('u1', 'ana@example.com');
      await store.createApiKey(apiKey('k1', 'u1', 'hash-1', 0));
      await store.createApiKey(apiKey('k2', 'u1', 'hash-2', 1));
      expect(await store.findApiKeyByHash('hash-1')).toEqual(apiKey('k1', 'u1', 'hash-1', 0));
      expect(await store.findApiKeyByHash('unknown')).toBeNull();
      await store.touchApiKey('k1', at(5));
      expect((await store.findApiKeyByHash('hash-1'))?.lastUsedAt).toBe(at(5).toISOString());
      await store.touchApiKey('missing', at(5));
      expect(await store.revokeApiKey('k1', at(6))).toBe(true);
      expect(await store.revokeApiKey('k1', at(7))).toBe(false);
      expect(await store.findApiKeyByHash('hash-1')).toBeNull();
      const keys = await store.listApiKeys('u1');
      expect(keys.map((k) => [k.id, k.revokedAt])).toEqual([
        ['k1', at(6).toISOString()],
        ['k2', null],
      ]);
      expect(await store.listApiKeys('nobody')).toEqual([]);
    });

    it('refuses duplicate API key ids and hashes', async () => {
      await store.createApiKey(apiKey('k1', 'u1', 'hash-1'));
      await expectCode(store.createApiKey(apiKey('k1', 'u1', 'hash-9')), 'conflict');
      await expectCode(store.createApiKey(apiKey('k9', 'u1', 'hash-1')), 'conflict');
    });
  });
}

/** Registers the cases of `TokenStore` (encrypted token caches, compare-and-set). */
export function defineTokenCases(context: CaseContext<IdentityHarness>): void {
  const { exclusive } = context;
  let harness: IdentityHarness;
  let store: IdentityPorts;
  context.onHarness((fresh) => {
    harness = fresh;
    store = fresh.store;
  });

  describe('TokenStore', () => {
    const value = (blob: string, minutes: number | null = 60) => ({
      blob,
      expiresAt: minutes === null ? null : at(minutes).toISOString(),
    });

    it('creates with version 1, then compare-and-sets by version', async () => {
      const created = await store.putToken('u1', value('blob-1'), null, at(0));
      expect(created).toEqual({ key: 'u1', blob: 'blob-1', version: 1, expiresAt: at(60).toISOString(), updatedAt: at(0).toISOString() });
      const next = await store.putToken('u1', value('blob-2'), 1, at(1));
      expect(next.version).toBe(2);
      expect(await store.getToken('u1')).toEqual(next);
    });

    it('refuses a write with a stale or missing version and writes nothing', async () => {
      await store.putToken('u1', value('blob-1'), null, at(0));
      await expectCode(store.putToken('u1', value('stale'), null, at(1)), 'conflict');
      await expectCode(store.putToken('u1', value('stale'), 7, at(1)), 'conflict');
      await expectCode(store.putToken('u2', value('ghost'), 1, at(1)), 'conflict');
      expect((await store.getToken('u1'))?.blob).toBe('blob-1');
      expect(await store.getToken('u2')).toBeNull();
    });

    it.skipIf(!exclusive)('lets exactly one of two concurrent writers with the same version win', async () => {
      await store.putToken('u1', value('blob-1'), null, at(0));
      const results = await Promise.allSettled([
        store.putToken('u1', value('replica-a'), 1, at(1)),
        store.putToken('u1', value('replica-b'), 1, at(1)),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await store.getToken('u1'))?.version).toBe(2);
    });

    it('deletes entries', async () => {
      await store.putToken('u1', value('blob'), null, at(0));
      expect(await store.deleteToken('u1')).toBe(true);
      expect(await store.deleteToken('u1')).toBe(false);
      expect(await store.getToken('u1')).toBeNull();
    });

    it('lists entries expiring before a time, soonest first, up to a limit', async () => {
      await store.putToken('late', value('b', 120), null, at(0));
      await store.putToken('soon', value('b', 5), null, at(0));
      await store.putToken('mid', value('b', 30), null, at(0));
      await store.putToken('unknown', value('b', null), null, at(0));
      expect((await store.listTokensExpiringBefore(at(60), 10)).map((t) => t.key)).toEqual(['soon', 'mid']);
      expect((await store.listTokensExpiringBefore(at(600), 2)).map((t) => t.key)).toEqual(['soon', 'mid']);
    });

    it('exposes what it holds to the inspector, so plaintext checks mean something', async () => {
      await store.putToken('u1', value('opaque-ciphertext-XYZ'), null, at(0));
      expect(await harness.inspect.dumpText()).toContain('opaque-ciphertext-XYZ');
    });
  });
}

/** Registers the cases of the identity ports (`UserStore`, `TokenStore`). */
export function defineIdentityCases(context: CaseContext<IdentityHarness>): void {
  defineUserCases(context);
  defineTokenCases(context);
}

/**
 * Runs the identity contract against the store `setup` makes: the store needs only the
 * identity ports ({@link @odoo-sync/core!IdentityPorts | IdentityPorts}) and an identity
 * inspector. Call it at the top level of a test file. Each case gets a fresh, empty store;
 * after it the suite calls the store's `close()` when it has one, then the harness's `cleanup`.
 */
export function runIdentityContract(
  name: string,
  setup: () => Promise<IdentityHarness>,
  options: ContractOptions<IdentityHarness> = {},
): void {
  runContract(`identity contract: ${name}`, setup, options, defineIdentityCases);
}
