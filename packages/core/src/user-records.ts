/**
 * How a store turns a {@link NewUser} and a {@link UserPatch} into the stored {@link User}: one
 * definition for every `UserStore` (MemoryStore, sqlite-store, mongo-store, your own).
 * @module
 */
import type { NewUser, User, UserIdentity, UserPatch } from './ports.js';

/** Normalises an e-mail address for uniqueness: trimmed, lower case. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** An identity as stores keep it: both parts trimmed and lower case (Entra ids are GUIDs). */
export function normalizedIdentity(identity: UserIdentity): UserIdentity {
  return { tenantId: identity.tenantId.trim().toLowerCase(), objectId: identity.objectId.trim().toLowerCase() };
}

/** One string for an identity's uniqueness: `<tenantId>/<objectId>`, normalised. */
export function identityKey(identity: UserIdentity): string {
  const { tenantId, objectId } = normalizedIdentity(identity);
  return `${tenantId}/${objectId}`;
}

/**
 * The user `createUser` stores: e-mail trimmed, identity normalised, no Odoo link, no other
 * e-mails unless given, created and updated `at`.
 */
export function createdUser(user: NewUser, at: Date): User {
  const now = at.toISOString();
  return {
    id: user.id,
    email: user.email.trim(),
    name: user.name,
    role: user.role,
    status: user.status,
    odooLink: null,
    otherEmails: [...(user.otherEmails ?? [])],
    reauthRequired: false,
    identity: user.identity ? normalizedIdentity(user.identity) : null,
    createdAt: now,
    updatedAt: now,
  };
}

/** `user` with the fields `patch` sets (e-mail trimmed), updated `at`. `user` is not changed. */
export function patchedUser(user: User, patch: UserPatch, at: Date): User {
  return {
    ...user,
    ...(patch.email === undefined ? {} : { email: patch.email.trim() }),
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.role === undefined ? {} : { role: patch.role }),
    ...(patch.status === undefined ? {} : { status: patch.status }),
    ...(patch.odooLink === undefined ? {} : { odooLink: patch.odooLink === null ? null : { ...patch.odooLink } }),
    ...(patch.otherEmails === undefined ? {} : { otherEmails: [...patch.otherEmails] }),
    ...(patch.reauthRequired === undefined ? {} : { reauthRequired: patch.reauthRequired }),
    ...(patch.identity === undefined ? {} : { identity: patch.identity === null ? null : normalizedIdentity(patch.identity) }),
    updatedAt: at.toISOString(),
  };
}
