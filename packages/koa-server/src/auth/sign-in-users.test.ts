import type { User } from '@odoo-sync/core';
import type { Ms365Identity } from '@odoo-sync/ms365-auth';
import { CONSUMER_TENANT_ID } from '@odoo-sync/ms365-auth';
import { describe, expect, it } from 'vitest';
import { sessionRefreshVerdict } from './session.js';
import { canClaimLegacyUser, isDirectoryMember } from './sign-in-users.js';

const TENANT = 'aaaaaaaa-1111-4111-8111-111111111111';
const OTHER = 'bbbbbbbb-2222-4222-8222-222222222222';

function identity(overrides: Partial<Ms365Identity> = {}): Ms365Identity {
  return {
    homeAccountId: `oid-1.${TENANT}`,
    tenantId: TENANT,
    objectId: 'oid-1',
    homeTenantId: TENANT,
    email: 'boss@contoso.test',
    username: 'Boss@Contoso.test',
    name: 'Boss',
    ...overrides,
  };
}

function legacy(overrides: Partial<User> = {}): User {
  return {
    id: 'u1',
    email: 'boss@contoso.test',
    name: 'Boss',
    role: 'admin',
    status: 'approved',
    odooLink: null,
    otherEmails: [],
    reauthRequired: false,
    identity: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('canClaimLegacyUser', () => {
  it('lets a member whose sign-in name is the stored address claim a user without identity', () => {
    expect(canClaimLegacyUser(identity(), legacy())).toBe(true);
  });

  it('never on the e-mail claim, for a guest, a personal account, or a user who has an identity', () => {
    expect(canClaimLegacyUser(identity({ username: 'mallory@contoso.test', email: 'boss@contoso.test' }), legacy())).toBe(false);
    expect(canClaimLegacyUser(identity({ homeTenantId: OTHER }), legacy())).toBe(false);
    expect(canClaimLegacyUser(identity({ tenantId: CONSUMER_TENANT_ID, homeTenantId: CONSUMER_TENANT_ID }), legacy())).toBe(false);
    expect(canClaimLegacyUser(identity(), legacy({ identity: { tenantId: TENANT, objectId: 'oid-0' } }))).toBe(false);
    expect(canClaimLegacyUser(identity({ username: 'boss' }), legacy({ email: 'boss' }))).toBe(false);
    expect(isDirectoryMember(identity({ tenantId: '', homeTenantId: '' }))).toBe(false);
  });
});

describe('sessionRefreshVerdict', () => {
  const now = new Date('2026-06-01T00:00:00.000Z');
  const DAY = 86_400_000;
  const seen = (daysAgo: number, liveDays = 7) => {
    const at = now.getTime() - daysAgo * DAY;
    return { lastSeenAt: new Date(at).toISOString(), liveUntil: new Date(at + liveDays * DAY).toISOString() };
  };
  const idleMs = 90 * DAY;

  it('refreshes people with a live session, and people never recorded', () => {
    expect(sessionRefreshVerdict({ status: 'approved' }, seen(1), now, idleMs)).toBe('refresh');
    expect(sessionRefreshVerdict({ status: 'pending' }, seen(6), now, idleMs)).toBe('refresh');
    expect(sessionRefreshVerdict({ status: 'approved' }, null, now, idleMs)).toBe('refresh');
  });

  it('skips people without a live session, signs out the idle, the rejected and the removed', () => {
    expect(sessionRefreshVerdict({ status: 'approved' }, seen(8), now, idleMs)).toBe('skip');
    expect(sessionRefreshVerdict({ status: 'approved' }, seen(90), now, idleMs)).toBe('sign_out');
    expect(sessionRefreshVerdict({ status: 'rejected' }, seen(0), now, idleMs)).toBe('sign_out');
    expect(sessionRefreshVerdict(null, seen(0), now, idleMs)).toBe('sign_out');
  });
});
