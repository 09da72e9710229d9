/**
 * A user's stored session: its health, read from the store alone, and sign-out.
 * @module
 */
import type { CachedAccount, ReauthMark } from './cache-payload.js';
import type { Ms365Context } from './context.js';
import { storeCall } from './token-vault.js';
import { userCacheKey } from './user-cache.js';

/** Health of a user's Microsoft 365 session, for `/api/auth/me`. Read from the store only. */
export interface Ms365SessionStatus {
  /**
   * `signed_in`: refreshable; `reauth_required`: refresh failed for good; `signed_out`: no
   * session stored; `unreadable`: the stored cache cannot be decrypted (counts as signed out).
   */
  state: 'signed_in' | 'reauth_required' | 'signed_out' | 'unreadable';
  /** The account, when known. */
  account: CachedAccount | null;
  /** ISO-8601 expiry of the newest access token held. */
  accessTokenExpiresAt: string | null;
  /** Why the session ended, when `reauth_required`. */
  reauth: ReauthMark | null;
  /** Where to sign in again, unless `signed_in`. */
  loginUrl: string | null;
  /** ISO-8601 time of the last write of the stored entry. */
  updatedAt: string | null;
}

/** Sign-out and session health. */
export class Sessions {
  readonly #ctx: Ms365Context;

  constructor(ctx: Ms365Context) {
    this.#ctx = ctx;
  }

  /** See {@link Ms365TokenRefresher.signOut}. */
  async signOut(userId: string): Promise<void> {
    await this.#ctx.queue.run(userId, async () => {
      await storeCall(() => this.#ctx.options.store.deleteToken(userCacheKey(userId)));
    });
    this.#ctx.logger.info({ userId }, 'Microsoft 365 session removed');
    this.#ctx.events.emit('session:ended', { userId });
  }

  /** See {@link Ms365TokenRefresher.sessionStatus}. */
  async status(userId: string): Promise<Ms365SessionStatus> {
    const read = await this.#ctx.vault.read(userCacheKey(userId));
    const loginUrl = this.#ctx.reauthLoginUrl(userId);
    if (read.kind === 'absent') {
      return { state: 'signed_out', account: null, accessTokenExpiresAt: null, reauth: null, loginUrl, updatedAt: null };
    }
    if (read.kind === 'unreadable') {
      return { state: 'unreadable', account: null, accessTokenExpiresAt: null, reauth: null, loginUrl, updatedAt: read.entry.updatedAt };
    }
    const active = read.payload.status === 'active';
    return {
      state: active ? 'signed_in' : 'reauth_required',
      account: read.payload.account,
      accessTokenExpiresAt: read.entry.expiresAt,
      reauth: read.payload.reauth,
      loginUrl: active ? null : loginUrl,
      updatedAt: read.entry.updatedAt,
    };
  }
}
