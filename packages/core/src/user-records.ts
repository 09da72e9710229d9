/**
 * How a store turns a {@link NewUser} and a {@link UserPatch} into the stored {@link User}: one
 * definition for every `UserStore` (MemoryStore, sqlite-store, mongo-store, your own).
 * @module
 */
import type { NewUser, User, UserPatch } from './ports.js';

/** Normalises an e-mail address for uniqueness: trimmed, lower case. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The user `createUser` stores: e-mail trimmed, no Odoo link, no other e-mails unless given,
 * created and updated `at`.
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
    updatedAt: at.toISOString(),
  };
}
