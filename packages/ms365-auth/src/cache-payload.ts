/**
 * What is sealed inside a user's token entry: MSAL's serialized cache plus the session state
 * this package keeps beside it. Pure functions, no I/O.
 * @module
 */
import { z } from 'zod';

/** State of a user's Microsoft 365 session as stored. */
export type StoredSessionState = 'active' | 'reauth_required';

/** The account a cache belongs to (no secrets). */
export interface CachedAccount {
  /** MSAL home account id (`<oid>.<tid>`). */
  homeAccountId: string;
  /** Directory (tenant) id. */
  tenantId: string;
  /** Sign-in name (`preferred_username`, usually the UPN). */
  username: string;
  /** Display name, when known. */
  name: string | null;
}

/** Why and when a user was marked re-auth-required. */
export interface ReauthMark {
  /** ISO-8601 time of marking. */
  at: string;
  /** MSAL/Entra error code, e.g. `invalid_grant`, `interaction_required`, `token_unreadable`. */
  reason: string;
  /** Entra's AADSTS error number, when one was given. */
  errorNo: string | null;
}

/** The plaintext of a user's token entry (sealed with AES-256-GCM at rest). */
export interface CachePayload {
  /** Format version. */
  v: 1;
  /** Session state. */
  status: StoredSessionState;
  /** MSAL's serialized token cache (JSON text). Holds the refresh token: never log it. */
  msal: string;
  /** The signed-in account, when known. */
  account: CachedAccount | null;
  /** Set while `status` is `reauth_required`. */
  reauth: ReauthMark | null;
}

const payloadSchema = z.object({
  v: z.literal(1),
  status: z.enum(['active', 'reauth_required']),
  msal: z.string(),
  account: z
    .object({
      homeAccountId: z.string(),
      tenantId: z.string(),
      username: z.string(),
      name: z.string().nullable(),
    })
    .nullable(),
  reauth: z
    .object({
      at: z.string(),
      reason: z.string(),
      errorNo: z.string().nullable(),
    })
    .nullable(),
});

/** Parses decrypted payload text; throws when it is not a payload. */
export function parsePayload(text: string): CachePayload {
  return payloadSchema.parse(JSON.parse(text));
}

/** The serialized form of an MSAL cache with nothing in it. */
export const EMPTY_MSAL_CACHE = JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });

const SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken', 'AppMetadata'] as const;
type Section = (typeof SECTIONS)[number];
type MsalJson = Record<Section, Record<string, Record<string, unknown>>> & Record<string, unknown>;

function parseMsal(text: string): MsalJson {
  const parsed = (text.trim() === '' ? {} : JSON.parse(text)) as Partial<MsalJson>;
  const out = { ...parsed } as MsalJson;
  for (const section of SECTIONS) out[section] = { ...(parsed[section] ?? {}) };
  return out;
}

/**
 * The latest expiry (ISO-8601) of the access tokens in an MSAL cache, or `null` when it holds
 * none. The pre-refresh job lists entries by this time.
 */
export function accessTokenExpiry(msal: string): string | null {
  let latest = -1;
  for (const token of Object.values(parseMsal(msal).AccessToken)) {
    const seconds = Number(token['expires_on']);
    if (Number.isFinite(seconds) && seconds > latest) latest = seconds;
  }
  return latest < 0 ? null : new Date(latest * 1000).toISOString();
}

/** True when the MSAL cache holds at least one account. */
export function hasAccount(msal: string): boolean {
  return Object.keys(parseMsal(msal).Account).length > 0;
}

/** True when the MSAL cache holds a refresh token. */
export function hasRefreshToken(msal: string): boolean {
  return Object.keys(parseMsal(msal).RefreshToken).length > 0;
}

function scopeSet(target: unknown): Set<string> {
  return new Set(String(target ?? '').toLowerCase().split(/\s+/).filter(Boolean));
}

const CREDENTIAL_SECTIONS = ['IdToken', 'AccessToken', 'RefreshToken'] as const;

/**
 * The keys of a serialized credential: the one msal-node 7 files it under and the one
 * msal-node 3 did, or `null` for an entry keyed in a way this function does not reproduce
 * (additional cache-key components, which this package never requests).
 *
 * msal-node 7 (`generateCredentialKey`, `src/cache/CacheHelpers.ts`):
 * `homeAccountId-environment-credentialType-clientId|familyId-realm-target-scheme`, lower-cased,
 * `scheme` empty for Bearer tokens. msal-node 3 had the requested-claims hash (empty unless
 * claims-based caching was on) between `target` and `scheme`.
 */
function credentialKeys(entry: Record<string, unknown>): { current: string; legacy: string } | null {
  const components = entry['additionalCacheKeyComponents'];
  if (components !== undefined && components !== null && Object.keys(components).length > 0) return null;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const credentialType = text(entry['credential_type']);
  if (credentialType === '' || text(entry['home_account_id']) === '') return null;
  const familyId = (credentialType === 'RefreshToken' && text(entry['family_id'])) || text(entry['client_id']);
  const tokenType = text(entry['token_type']);
  const scheme = tokenType !== '' && tokenType.toLowerCase() !== 'bearer' ? tokenType.toLowerCase() : '';
  const head = [text(entry['home_account_id']), text(entry['environment']), credentialType, familyId, text(entry['realm']), text(entry['target'])];
  return {
    current: [...head, scheme].join('-').toLowerCase(),
    legacy: [...head, text(entry['requestedClaimsHash']), scheme].join('-').toLowerCase(),
  };
}

/**
 * Re-files the credentials of a serialized MSAL cache that msal-node 3 wrote under the keys
 * msal-node 7 uses.
 *
 * msal-node 3 keyed every credential with one more segment, the requested-claims hash
 * (empty): `…-<target>--` where msal-node 7 writes `…-<target>-`. msal-node 7 reads such
 * entries but never replaces them: after its first refresh a cache written by msal-node 3 holds
 * two refresh tokens for the account, and MSAL keeps sending the first one, the old one, until
 * it expires and the user is signed out despite daily use. Loading every cache through this
 * function keeps one refresh token per account, the newest.
 *
 * When an old entry is re-filed onto a key that already holds a current entry, the current one
 * wins: only msal-node 7 writes current keys, so it is the newer. Only keys exactly as
 * msal-node 3 built them for their entry are moved; accounts, app metadata and anything else
 * stay as they are, and a cache with nothing to re-file is returned unchanged (same text).
 */
export function migrateMsalCache(msal: string): string {
  if (msal.trim() === '') return msal;
  const parsed = parseMsal(msal);
  let moved = false;
  for (const section of CREDENTIAL_SECTIONS) {
    const kept: Record<string, Record<string, unknown>> = {};
    const refiled: [string, Record<string, unknown>][] = [];
    for (const [key, entry] of Object.entries(parsed[section])) {
      const keys = credentialKeys(entry);
      if (keys !== null && keys.legacy !== keys.current && key.toLowerCase() === keys.legacy) refiled.push([keys.current, entry]);
      else kept[key] = entry;
    }
    if (refiled.length === 0) continue;
    moved = true;
    for (const [current, entry] of refiled) if (!(current in kept)) kept[current] = entry;
    parsed[section] = kept;
  }
  return moved ? JSON.stringify(parsed) : msal;
}

/**
 * Merges two MSAL caches after a compare-and-set conflict: `ours` (tokens this process just
 * received from Entra) laid over `theirs` (what another replica wrote meanwhile).
 * Both are first re-filed under current keys ({@link migrateMsalCache}). Entries of `ours`
 * replace entries with the same key; an access token of `theirs` is dropped when `ours` has one
 * for the same account and realm with overlapping scopes, so MSAL never finds two candidates
 * for one request.
 */
export function mergeMsalCaches(theirs: string, ours: string): string {
  const base = parseMsal(migrateMsalCache(theirs));
  const mine = parseMsal(migrateMsalCache(ours));
  const merged = { ...base } as MsalJson;
  for (const section of SECTIONS) merged[section] = { ...base[section], ...mine[section] };
  const ourTokens = Object.values(mine.AccessToken);
  for (const [key, token] of Object.entries(base.AccessToken)) {
    if (key in mine.AccessToken) continue;
    const scopes = scopeSet(token['target']);
    const shadowed = ourTokens.some(
      (o) =>
        o['home_account_id'] === token['home_account_id'] &&
        o['realm'] === token['realm'] &&
        [...scopeSet(o['target'])].some((s) => scopes.has(s)),
    );
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- AccessToken is a keyed map; removing one entry
    if (shadowed) delete merged.AccessToken[key];
  }
  return JSON.stringify(merged);
}
