/**
 * Who signed in, read from the MSAL account and the id token claims.
 * @module
 */
import type { AccountInfo } from '@azure/msal-node';

/** Who signed in, as the id token and MSAL account say. No secrets. */
export interface Ms365Identity {
  /** MSAL home account id: `<objectId>.<tenantId>`. */
  homeAccountId: string;
  /** Directory (tenant) id (`tid` of the id token): the directory that signed them in. */
  tenantId: string;
  /** The user's object id in that directory (`oid` of the id token). With `tenantId`, who the person is. */
  objectId: string;
  /**
   * The directory the account belongs to (from MSAL's home account id). Equal to `tenantId`
   * for a member of the directory; another tenant for a guest (B2B) account.
   */
  homeTenantId: string;
  /** E-mail: the `email` claim, else the sign-in name. */
  email: string;
  /** Sign-in name (`preferred_username`, usually the UPN). */
  username: string;
  /** Display name (`name`), or the sign-in name. */
  name: string;
}

/** The id token claims a caller may want, and nothing else. */
export interface IdTokenClaimsSubset {
  /** Issuer. */
  iss: string | null;
  /** Audience (the client id). */
  aud: string | null;
  /** Subject (pairwise per app). */
  sub: string | null;
  /** Object id. */
  oid: string | null;
  /** Tenant id. */
  tid: string | null;
  /** Sign-in name. */
  preferred_username: string | null;
  /** E-mail, when the `email` scope was granted and the account has one. */
  email: string | null;
  /** Display name. */
  name: string | null;
  /** Issued at (seconds). */
  iat: number | null;
  /** Expiry (seconds). */
  exp: number | null;
}

/** A non-empty string claim, else `null`. */
export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The identity of a signed-in account. */
export function identityOf(account: AccountInfo, claims: Record<string, unknown>): Ms365Identity {
  const username = account.username || str(claims['preferred_username']) || '';
  const homeTenant = account.homeAccountId.slice(account.homeAccountId.indexOf('.') + 1);
  return {
    homeAccountId: account.homeAccountId,
    tenantId: str(claims['tid']) ?? account.tenantId,
    objectId: str(claims['oid']) ?? account.localAccountId,
    homeTenantId: account.homeAccountId.includes('.') ? homeTenant : (str(claims['tid']) ?? account.tenantId),
    email: (str(claims['email']) ?? username).trim(),
    username,
    name: account.name || str(claims['name']) || username,
  };
}

/** The claims of {@link IdTokenClaimsSubset}, each `null` when absent or of the wrong type. */
export function claimsSubset(claims: Record<string, unknown>): IdTokenClaimsSubset {
  return {
    iss: str(claims['iss']),
    aud: str(claims['aud']),
    sub: str(claims['sub']),
    oid: str(claims['oid']),
    tid: str(claims['tid']),
    preferred_username: str(claims['preferred_username']),
    email: str(claims['email']),
    name: str(claims['name']),
    iat: num(claims['iat']),
    exp: num(claims['exp']),
  };
}
