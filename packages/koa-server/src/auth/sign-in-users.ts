/**
 * Who signed in: the user a Microsoft 365 sign-in is, found by the sign-in identity (tenant id +
 * object id) — never by the `email` claim, which Microsoft does not verify. The e-mail address
 * is data: kept current, used to link the person to Odoo.
 *
 * The rules:
 * - A known identity is that user, whatever e-mail the token now carries (a renamed mailbox
 *   renames the user; an address another user holds is not taken from them).
 * - A user recorded before identities were (no identity yet) is claimed by a sign-in only when
 *   {@link canClaimLegacyUser} says so: the account is a member of its directory (not a guest)
 *   and its sign-in name — the UPN, whose domain the directory verified — is the user's
 *   address. The `email` claim never decides it.
 * - Any other sign-in whose e-mail address a user already holds is refused with
 *   {@link IdentityConflictError}: nobody signs in as someone else, and the address keeps
 *   naming one person. An administrator resolves it.
 * - Otherwise a new user is created with the identity: the first admin when there is none,
 *   else pending unless the sign-in name's domain is auto-approved (for members only).
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, SyncStore, User, UserIdentity } from '@odoo-sync/core';
import { emailKey } from '@odoo-sync/core/store-kit';
import { ConflictError, IdentityConflictError, UnauthenticatedError } from '@odoo-sync/core/errors';
import type { Ms365Identity } from '@odoo-sync/ms365-auth';
import { CONSUMER_TENANT_ID, type Ms365Profile, vouchedAddresses } from '@odoo-sync/ms365-auth/config';

/** Lease taken while the first admin is created, so two first sign-ins cannot both become admin. */
const FIRST_ADMIN_LEASE = 'users:first-admin';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** What a sign-in did to the user. */
export interface SignedInUser {
  /** The user, as stored now. */
  user: User;
  /** `created`: a new user; `claimed`: a user recorded before identities got this one; `known`: found by identity. */
  outcome: 'created' | 'claimed' | 'known';
}

/** What resolving a signed-in user needs: the users (and the first-admin lease), time, logs. */
export interface SignInUserDeps {
  /** Users, and the lease that makes only one first sign-in the first admin. */
  store: Pick<SyncStore, 'getUserByIdentity' | 'getUserByEmail' | 'updateUser' | 'createUser' | 'countUsers' | 'acquireLease' | 'releaseLease'>;
  /** Time source. */
  clock: Clock;
  /** Where conflicts and claims are logged. */
  logger: Logger;
}

/** The identity of a sign-in, as stores keep it. */
export function identityOf(identity: Ms365Identity): UserIdentity {
  return { tenantId: identity.tenantId, objectId: identity.objectId };
}

/** True when the account belongs to the directory that signed it in (not a guest, not a personal account). */
export function isDirectoryMember(identity: Ms365Identity): boolean {
  const tenant = identity.tenantId.toLowerCase();
  return tenant !== '' && tenant === identity.homeTenantId.toLowerCase() && tenant !== CONSUMER_TENANT_ID;
}

/**
 * Whether this sign-in may take over `user`, a user without an identity (recorded before
 * identities were, or made with an API key): only a member of its directory whose sign-in name
 * (UPN, on a domain the directory verified, unique across Entra) is the user's address. A
 * guest's or personal account's sign-in name is an address nobody verified, and the `email`
 * claim can be set to anything, so neither counts. The tenant itself was already checked
 * against the configured tenant(s).
 */
export function canClaimLegacyUser(identity: Ms365Identity, user: User): boolean {
  return user.identity === null && isDirectoryMember(identity) && EMAIL.test(identity.username) && emailKey(identity.username) === emailKey(user.email);
}

/**
 * The person's other addresses Microsoft 365 vouches for, without their e-mail: their sign-in
 * name (UPN) when it is an address, and — when their Graph profile could be read — its SMTP
 * `proxyAddresses`, `otherMails` and `mail` (lower-cased, each once).
 */
export function otherEmailsOf(identity: Ms365Identity, email: string, profile: Ms365Profile | null = null): string[] {
  const upn = identity.username.trim();
  const all = [...(EMAIL.test(upn) ? [upn] : []), ...(profile ? vouchedAddresses(profile) : [])];
  const seen = new Set([emailKey(email)]);
  return all.filter((address) => {
    const key = emailKey(address);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Finds, claims or creates the user a Microsoft 365 sign-in is (see the module's rules). */
export async function resolveSignedInUser(
  deps: SignInUserDeps,
  identity: Ms365Identity,
  autoApproveDomains: ReadonlySet<string>,
  profile: Ms365Profile | null = null,
): Promise<SignedInUser> {
  const email = identity.email.trim();
  if (!EMAIL.test(email)) {
    throw new UnauthenticatedError('Your Microsoft account has no e-mail address, so odoo-sync cannot sign you in.', {
      hint: 'Ask your Microsoft 365 admin to give the account a mailbox or e-mail address.',
    });
  }
  const { store, clock, logger } = deps;
  const key = identityOf(identity);
  const name = identity.name.trim();
  const otherEmails = otherEmailsOf(identity, email, profile);

  const known = await store.getUserByIdentity(key);
  if (known !== null) return { user: await refreshKnown(deps, known, identity, profile), outcome: 'known' };

  const holder = await store.getUserByEmail(email);
  if (holder !== null) {
    if (!canClaimLegacyUser(identity, holder)) throw conflictFor(deps, identity, holder);
    try {
      const patch = { identity: key, ...(name !== '' ? { name } : {}), otherEmails };
      const user = await store.updateUser(holder.id, patch, clock.now());
      logger.info({ userId: user.id, tenantId: key.tenantId }, 'existing user claimed by their Microsoft 365 identity');
      return { user, outcome: 'claimed' };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // Another replica recorded this identity meanwhile.
      const now = await store.getUserByIdentity(key);
      if (now === null) throw err;
      return { user: now, outcome: 'known' };
    }
  }

  const create = async (role: User['role'], status: User['status']): Promise<SignedInUser> => {
    try {
      const user = await store.createUser({ id: randomUUID(), email, name: name || email, role, status, otherEmails, identity: key }, clock.now());
      return { user, outcome: 'created' };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // Signed in on two replicas at once: the other one created them. Or the address was taken meanwhile.
      const now = await store.getUserByIdentity(key);
      if (now !== null) return { user: now, outcome: 'known' };
      const taken = await store.getUserByEmail(email);
      if (taken !== null) throw conflictFor(deps, identity, taken);
      throw err;
    }
  };
  if ((await store.countUsers({ role: 'admin', status: 'approved' })) === 0) {
    const owner = randomUUID();
    const lease = await store.acquireLease(FIRST_ADMIN_LEASE, owner, 30_000, clock.now());
    if (lease) {
      try {
        if ((await store.countUsers({ role: 'admin', status: 'approved' })) === 0) return await create('admin', 'approved');
      } finally {
        await store.releaseLease(FIRST_ADMIN_LEASE, owner).catch(() => false);
      }
    }
  }
  const upnDomain = identity.username.slice(identity.username.lastIndexOf('@') + 1).toLowerCase();
  const approved = isDirectoryMember(identity) && EMAIL.test(identity.username) && autoApproveDomains.has(upnDomain);
  return create('user', approved ? 'approved' : 'pending');
}

/**
 * Keeps a known user's name, addresses and e-mail as Microsoft 365 now has them. Without a Graph
 * profile (it could not be read this time) the addresses recorded before are kept.
 */
async function refreshKnown(deps: SignInUserDeps, user: User, identity: Ms365Identity, profile: Ms365Profile | null): Promise<User> {
  const email = identity.email.trim();
  const name = identity.name.trim();
  const current = otherEmailsOf(identity, email, profile);
  const otherEmails = profile === null ? [...current, ...user.otherEmails.filter((address) => !current.some((c) => emailKey(c) === emailKey(address)) && emailKey(address) !== emailKey(email))] : current;
  const patch = {
    ...(name !== '' && name !== user.name ? { name } : {}),
    ...(otherEmails.join('\n') !== user.otherEmails.join('\n') ? { otherEmails } : {}),
  };
  if (emailKey(email) !== emailKey(user.email)) {
    try {
      return await deps.store.updateUser(user.id, { ...patch, email }, deps.clock.now());
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // Another user holds the new address: they keep it; this person keeps theirs until it is free.
      deps.logger.warn({ userId: user.id }, 'new e-mail address of a Microsoft 365 user belongs to another user; kept the old one');
    }
  }
  return Object.keys(patch).length > 0 ? deps.store.updateUser(user.id, patch, deps.clock.now()) : user;
}

function conflictFor(deps: Pick<SignInUserDeps, 'logger'>, identity: Ms365Identity, holder: User): IdentityConflictError {
  deps.logger.warn(
    { userId: holder.id, tenantId: identity.tenantId, holderHasIdentity: holder.identity !== null },
    'Microsoft 365 sign-in refused: its e-mail address belongs to another user',
  );
  return new IdentityConflictError(
    'Your e-mail address already belongs to another account of this server, so you cannot be signed in with this Microsoft account.',
    { hint: 'Ask an administrator of odoo-sync to resolve it (they see the account holding your address).' },
  );
}
