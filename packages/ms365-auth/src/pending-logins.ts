/**
 * Sign-ins in progress: the state, nonce and PKCE verifier of each login URL handed out, kept
 * server-side until the callback comes back (or they expire), then used once.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Clock, TokenStore } from '@odoo-sync/core';
import { z } from 'zod';
import type { Keyring } from './keyring.js';
import { storeCall, TokenVault } from './token-vault.js';

/** One sign-in in progress. Holds the PKCE verifier: never log it. */
export interface PendingLogin {
  /** The `state` sent to Microsoft (random, single use). */
  state: string;
  /** The `nonce` sent to Microsoft; the id token must carry it back. */
  nonce: string;
  /** The PKCE code verifier whose S256 challenge was sent. */
  codeVerifier: string;
  /** The redirect URI the code will be sent to. */
  redirectUri: string;
  /** Scopes requested. */
  scopes: string[];
  /** Where to send the browser after sign-in (a same-origin path), or `null`. */
  returnTo: string | null;
  /** ISO-8601 time the login URL was made. */
  createdAt: string;
  /** ISO-8601 time after which the callback is refused. */
  expiresAt: string;
}

/**
 * Where pending logins live. Every replica must see the same store (the callback may reach
 * another replica than the one that made the URL).
 *
 * Rules: `take` returns a login at most once (a second `take` of the same state, even
 * concurrent, gets `null`), and returns `null` for an unknown or expired state.
 */
export interface PendingLoginStore {
  /** Saves a login until its `expiresAt`. */
  save(login: PendingLogin): Promise<void>;
  /** Removes and returns the login for `state` when it exists and has not expired at `now`. */
  take(state: string, now: Date): Promise<PendingLogin | null>;
}

/** Key prefix of pending logins in a {@link TokenStore}. */
export const PENDING_LOGIN_PREFIX = 'ms365:login:';

const loginSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  redirectUri: z.string(),
  scopes: z.array(z.string()),
  returnTo: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** The store key of a state: a hash, so keys stay short whatever the state's length. */
export function pendingLoginKey(state: string): string {
  return PENDING_LOGIN_PREFIX + createHash('sha256').update(state).digest('base64url');
}

/**
 * Pending logins kept in the {@link TokenStore}, sealed like token caches, under
 * `ms365:login:<sha256(state)>` with `expiresAt` set to the login's expiry, so
 * `Ms365TokenRefresher.refreshExpiring` sweeps abandoned ones. Single use through
 * `deleteToken`, which only one caller can win.
 */
export class TokenStorePendingLogins implements PendingLoginStore {
  readonly #vault: TokenVault;

  /** Keeps pending logins in `store`, sealed with `keyring`; `clock` stamps the writes. */
  constructor(store: TokenStore, keyring: Keyring, clock: Clock) {
    this.#vault = new TokenVault(store, keyring, clock);
  }

  /** Saves a login (sealed) until its `expiresAt`. */
  async save(login: PendingLogin): Promise<void> {
    await this.#vault.writeRaw(pendingLoginKey(login.state), JSON.stringify(login), new Date(login.expiresAt), null);
  }

  /** Deletes and returns the login for `state`; `null` when unknown, already taken, unreadable or expired. */
  async take(state: string, now: Date): Promise<PendingLogin | null> {
    const key = pendingLoginKey(state);
    const entry = await storeCall(() => this.#vault.store.getToken(key));
    if (!entry) return null;
    // Whoever deletes the entry owns the login: a replayed or concurrent callback loses here.
    if (!(await storeCall(() => this.#vault.store.deleteToken(key)))) return null;
    let login: PendingLogin;
    try {
      login = loginSchema.parse(JSON.parse(this.#vault.openRaw(key, entry)));
    } catch {
      // Unreadable (a key was dropped from the keyring) or malformed: as good as expired.
      return null;
    }
    if (login.state !== state || Date.parse(login.expiresAt) <= now.getTime()) return null;
    return login;
  }
}
