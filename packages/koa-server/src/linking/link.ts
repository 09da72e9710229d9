/**
 * Linking a person to their Odoo user and employee: the evidence (their addresses, and what
 * Microsoft 365 vouches for), the match, and writing the link. Used by sign-in, approval and
 * the self-service relink route.
 * @module
 */
import { type Ms365Profile, vouchedAddresses } from '@odoo-sync/ms365-auth/config';
import { type IdentityMatched, type IdentityNotMatched, matchOdooIdentity, type OdooLink, type PersonToMatch, type User } from '@odoo-sync/core';
import { summarizeError } from '@odoo-sync/core/errors';
import { emailKey } from '@odoo-sync/core/store-kit';
import type { RouteDeps } from '../http/route.js';
import type { OdooDirectoryCache } from './odoo-directory.js';

export interface LinkEvidence {
  /** Their employee number (Microsoft 365's `employeeId`), or `null`. */
  employeeNumber?: string | null;
}

/**
 * A user as matching sees them: e-mail, name, the other addresses Microsoft 365 vouches for,
 * and their employee number when the sign-in provider gave one.
 */
export function personOf(user: User, evidence: LinkEvidence = {}): PersonToMatch {
  return { email: user.email, name: user.name, otherEmails: user.otherEmails, employeeNumber: evidence.employeeNumber ?? null };
}

/** What {@link linkToOdoo} did: the link it stored, or why there is none. */
export type OdooLinkAttempt =
  | { linked: true; user: User; link: OdooLink; result: IdentityMatched }
  | { linked: false; user: User; result: IdentityNotMatched };

/**
 * Matches `user` (their e-mail and name) against the synced Odoo directory and stores the link
 * when exactly one person fits; never guesses (see `matchOdooIdentity`). `linkedBy` is who
 * caused it: the user themself (self-service, sign-in) or the admin who approved them. The
 * user's `otherEmails` (the Microsoft 365 sign-in name when it is not their e-mail) count as
 * theirs (see `PersonToMatch.otherEmails`). The caller decides whether the user may be linked
 * (approved, no hand-made link).
 *
 * @example
 * ```ts
 * const attempt = await linkToOdoo(deps, directory, user, user.id);
 * if (!attempt.linked) console.log(describeMatch(attempt.result, personOf(user)));
 * ```
 */
export async function linkToOdoo(
  deps: Pick<RouteDeps, 'store' | 'clock' | 'logger'>,
  directory: OdooDirectoryCache,
  user: User,
  linkedBy: string,
  evidence: LinkEvidence = {},
): Promise<OdooLinkAttempt> {
  const result = matchOdooIdentity(personOf(user, evidence), await directory.get());
  if (result.status !== 'matched') {
    deps.logger.info({ userId: user.id, matchCode: result.code, strategy: result.strategy, tried: result.tried }, 'odoo link not made');
    return { linked: false, user, result };
  }
  const now = deps.clock.now();
  const link: OdooLink = {
    odooUserId: result.odooUserId,
    employeeId: result.employeeId,
    strategy: result.strategy,
    linkedAt: now.toISOString(),
    linkedBy,
  };
  const updated = await deps.store.updateUser(user.id, { odooLink: link }, now);
  deps.logger.info({ userId: user.id, linkedBy, strategy: result.strategy, odooUserId: link.odooUserId, employeeId: link.employeeId }, 'odoo link made');
  return { linked: true, user: updated, link, result };
}

/**
 * Links `user` when linking on their own is on, they are approved and have no link yet; a
 * failure (the store, the directory) is logged and never stops what called it (a sign-in, an
 * approval). Returns the user as it is afterwards.
 */
export async function linkIfUnlinked(
  deps: Pick<RouteDeps, 'store' | 'clock' | 'logger'>,
  directory: OdooDirectoryCache | null,
  user: User,
  linkedBy: string,
  evidence: LinkEvidence = {},
): Promise<User> {
  if (directory === null || user.status !== 'approved' || user.odooLink !== null) return user;
  try {
    return (await linkToOdoo(deps, directory, user, linkedBy, evidence)).user;
  } catch (error) {
    deps.logger.warn({ userId: user.id, err: summarizeError(error) }, 'odoo link attempt failed; the person can link later (POST /api/auth/relink-odoo)');
    return user;
  }
}

/** Reads a signed-in person's Microsoft 365 profile now (`Ms365TokenRefresher.readProfile`); `null` when it cannot. */
export type ProfileReader = (userId: string) => Promise<Ms365Profile | null>;

/**
 * The person's Microsoft 365 evidence read again (a relink may come long after the sign-in):
 * their vouched addresses are stored when they changed, and their employee id is used. Without
 * a profile (no reader, no session, Graph failing) the stored addresses are used alone.
 */
export async function freshEvidence(
  deps: Pick<RouteDeps, 'store' | 'clock' | 'logger'>,
  profiles: ProfileReader | null,
  user: User,
): Promise<{ user: User; evidence: LinkEvidence }> {
  if (profiles === null || user.identity === null) return { user, evidence: {} };
  const profile = await profiles(user.id).catch(() => null);
  if (profile === null) return { user, evidence: {} };
  const vouched = vouchedAddresses(profile);
  // Addresses still vouched for keep the spelling recorded at sign-in.
  const kept = user.otherEmails.filter((address) => vouched.includes(address.trim().toLowerCase()));
  const seen = new Set([emailKey(user.email)]);
  const otherEmails = [...kept, ...vouched].filter((address) => {
    const key = emailKey(address);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const changed = otherEmails.join('\n') !== user.otherEmails.join('\n');
  const updated = changed ? await deps.store.updateUser(user.id, { otherEmails }, deps.clock.now()) : user;
  return { user: updated, evidence: { employeeNumber: profile.employeeId } };
}

/**
 * `POST /api/auth/relink-odoo`: matches the caller (their e-mail and name) against the synced
 * Odoo users, employees and opportunity salespersons. On a match the link is stored and
 * answered; otherwise 404 (nobody fits) or 409 (several people fit, or the records disagree)
 * with `details` `{ matchCode, reason, strategy, tried, suggestions }` and a sentence a
 * salesperson understands as `message`. A link an admin made by hand is never replaced here
 * (409). Nobody can link anyone but themself: the body takes no user.
 */
