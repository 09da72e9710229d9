/**
 * Browser sessions after a Microsoft 365 sign-in: a random id in an HttpOnly signed cookie, the
 * session itself in the store so every replica accepts it (and a logout ends it everywhere),
 * with a 7-day rolling expiry.
 *
 * Sessions live in core's {@link TokenStore} under `session:<sha256(id)>`: it is the one port
 * with delete, an expiry per entry (`expiresAt`, so expired sessions can be swept) and
 * compare-and-set (two requests renewing one session cannot clobber a logout). The settings
 * store has none of the three. The store holds only the hash of the id, so someone who reads
 * the database cannot build a cookie from it; the entry's blob holds no secret (user id and
 * creation time). Entries under other prefixes (Microsoft 365 token caches) are never touched.
 *
 * Beside the sessions, one entry per user, `session-seen:<userId>`, records the last use of any
 * of their sessions (written when a session starts or is renewed, so at most hourly per
 * session) and expires when the user has been idle for `idleMs`: how the server knows whom to
 * keep signed in to Microsoft 365 (see {@link sessionRefreshVerdict}).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Clock, type Logger, systemClock, type TokenStore, type User, type UserStore } from '@odoo-sync/core';
import { ConflictError, UnauthenticatedError } from '@odoo-sync/core/errors';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Authenticator, Principal } from './authenticate.js';
import { assertCsrfToken, assertSameOriginRequest } from './csrf.js';

/** Key prefix of sessions in the {@link TokenStore}. */
export const SESSION_KEY_PREFIX = 'session:';

/** Key prefix of the per-user record of the last use of their sessions. */
export const LAST_SEEN_KEY_PREFIX = 'session-seen:';

/** The store key of a user's last-use record. */
export function lastSeenKey(userId: string): string {
  return LAST_SEEN_KEY_PREFIX + userId;
}

/** Default idle time after which a person counts as gone: 90 days without using a session. */
export const IDLE_SIGN_OUT_MS = 90 * 24 * 60 * 60 * 1000;

/** Name of the session cookie (signed: a `.sig` cookie goes with it). */
export const SESSION_COOKIE = 'odoo_sync_session';

/** Name of the short-lived cookie that carries a sign-in's `state` from login to callback. */
export const LOGIN_STATE_COOKIE = 'odoo_sync_login_state';

/** Default session lifetime: 7 days, counted from the last use. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The store key of a session id: its SHA-256, so the database never holds a usable id. */
export function sessionKey(sessionId: string): string {
  return SESSION_KEY_PREFIX + createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

/** A live session. */
export interface Session {
  /** The signed-in user. */
  userId: string;
  /** ISO-8601 time of the sign-in. */
  createdAt: string;
  /** ISO-8601 time the session ends unless used again. */
  expiresAt: string;
  /** True when this read pushed `expiresAt` forward (the cookie should be sent again). */
  renewed: boolean;
}

/** Options of {@link SessionManager}. */
export interface SessionManagerOptions {
  /** Where sessions live: the store every replica shares. */
  store: TokenStore;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Lifetime from the last use, in milliseconds.
   * @default 604800000 (7 days)
   */
  ttlMs?: number;
  /**
   * How old the last renewal must be before a use renews the session again, in milliseconds.
   * Keeps the store from being written on every request.
   * @default 3600000 (1 hour)
   */
  renewAfterMs?: number;
  /**
   * How long after the last use of any of a user's sessions they count as idle
   * ({@link SessionManager.idleUsers}), in milliseconds.
   * @default 7776000000 (90 days)
   */
  idleMs?: number;
}

/** When a user last used a session, from {@link SessionManager.lastSeen}. */
export interface LastSeen {
  /** ISO-8601 time of the last sign-in or session renewal. */
  lastSeenAt: string;
  /** ISO-8601 time their last session ends unless used again (`lastSeenAt` + the session lifetime). */
  liveUntil: string;
}

const seenSchema = z.object({ v: z.literal(1), lastSeenAt: z.string() });

const blobSchema = z.object({ v: z.literal(1), userId: z.string().min(1), createdAt: z.string() });

/**
 * Creates, reads (renewing) and ends sessions in a {@link TokenStore}.
 *
 * Rules: ids are 256 random bits (base64url); the store holds only their SHA-256; an expired
 * session is never returned (and is deleted when met); a session is renewed to `now + ttlMs`
 * at most once per `renewAfterMs`, with compare-and-set, so a renewal never brings back a
 * session that a logout deleted.
 *
 * @example
 * ```ts
 * const sessions = new SessionManager({ store });
 * const { id } = await sessions.create(user.id);   // put id in the signed cookie
 * const session = await sessions.get(id);           // on every request: null once ended
 * await sessions.destroy(id);                       // logout, on every replica at once
 * ```
 */
export class SessionManager {
  readonly #store: TokenStore;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #renewAfterMs: number;
  readonly #idleMs: number;

  /** Validates the options (throws `TypeError`). Reads nothing. */
  constructor(options: SessionManagerOptions) {
    const ttlMs = options.ttlMs ?? SESSION_TTL_MS;
    const renewAfterMs = options.renewAfterMs ?? 60 * 60 * 1000;
    if (!Number.isInteger(ttlMs) || ttlMs < 60_000) throw new TypeError(`Expected options.ttlMs to be an integer ≥ 60000, got ${String(ttlMs)}.`);
    if (!Number.isInteger(renewAfterMs) || renewAfterMs < 0 || renewAfterMs >= ttlMs) {
      throw new TypeError(`Expected options.renewAfterMs to be an integer from 0 to ttlMs, got ${String(renewAfterMs)}.`);
    }
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#ttlMs = ttlMs;
    this.#renewAfterMs = renewAfterMs;
    const idleMs = options.idleMs ?? IDLE_SIGN_OUT_MS;
    if (!Number.isInteger(idleMs) || idleMs < 60_000) throw new TypeError(`Expected options.idleMs to be an integer ≥ 60000, got ${String(idleMs)}.`);
    this.#idleMs = idleMs;
  }

  /** Lifetime of a session from its last use, in milliseconds. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** Starts a session for `userId`; returns its id (the cookie value: never log it). */
  async create(userId: string): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const now = this.#clock.now();
    const expiresAt = new Date(now.getTime() + this.#ttlMs).toISOString();
    const blob = JSON.stringify({ v: 1, userId, createdAt: now.toISOString() });
    await this.#store.putToken(sessionKey(id), { blob, expiresAt }, null, now);
    await this.recordUse(userId);
    return { id, session: { userId, createdAt: now.toISOString(), expiresAt, renewed: false } };
  }

  /** The live session with this id (renewed when due), or `null` when unknown, malformed or expired. */
  async get(sessionId: string): Promise<Session | null> {
    if (!SESSION_ID.test(sessionId)) return null;
    const key = sessionKey(sessionId);
    const entry = await this.#store.getToken(key);
    if (entry === null) return null;
    const now = this.#clock.now();
    let parsed: z.infer<typeof blobSchema> | null = null;
    try {
      const result = blobSchema.safeParse(JSON.parse(entry.blob));
      if (result.success) parsed = result.data;
    } catch {
      parsed = null;
    }
    const expires = entry.expiresAt === null ? Number.NaN : Date.parse(entry.expiresAt);
    if (parsed === null || !(expires > now.getTime())) {
      await this.#store.deleteToken(key);
      return null;
    }
    const session: Session = { userId: parsed.userId, createdAt: parsed.createdAt, expiresAt: new Date(expires).toISOString(), renewed: false };
    const renewedAt = expires - this.#ttlMs;
    if (now.getTime() - renewedAt >= this.#renewAfterMs) {
      const expiresAt = new Date(now.getTime() + this.#ttlMs).toISOString();
      try {
        await this.#store.putToken(key, { blob: entry.blob, expiresAt }, entry.version, now);
        session.expiresAt = expiresAt;
        session.renewed = true;
        await this.recordUse(parsed.userId);
      } catch (err) {
        // Another request renewed it, or a logout deleted it, meanwhile: this request keeps what it read.
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return session;
  }

  /**
   * Records that `userId` used a session now (sign-in, renewal): their last-use entry expires
   * `idleMs` from now. Two replicas recording at once both succeed (the later write wins).
   */
  async recordUse(userId: string): Promise<void> {
    const key = lastSeenKey(userId);
    const now = this.#clock.now();
    const value = { blob: JSON.stringify({ v: 1, lastSeenAt: now.toISOString() }), expiresAt: new Date(now.getTime() + this.#idleMs).toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.#store.getToken(key);
      try {
        await this.#store.putToken(key, value, current?.version ?? null, now);
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  /** When `userId` last used a session, or `null` when never recorded (or forgotten). */
  async lastSeen(userId: string): Promise<LastSeen | null> {
    const entry = await this.#store.getToken(lastSeenKey(userId));
    if (entry === null) return null;
    let at = Number.NaN;
    try {
      const parsed = seenSchema.safeParse(JSON.parse(entry.blob));
      if (parsed.success) at = Date.parse(parsed.data.lastSeenAt);
    } catch {
      at = Number.NaN;
    }
    if (Number.isNaN(at)) return null;
    return { lastSeenAt: new Date(at).toISOString(), liveUntil: new Date(at + this.#ttlMs).toISOString() };
  }

  /**
   * Users whose last use of a session is older than `idleMs` (their last-use entry expired), at
   * most `limit`. Their entries stay until {@link SessionManager.forgetIdle}.
   */
  async idleUsers(limit = 1000): Promise<string[]> {
    const entries = await this.#store.listTokensExpiringBefore(this.#clock.now(), 10 * limit);
    return entries.filter((e) => e.key.startsWith(LAST_SEEN_KEY_PREFIX)).slice(0, limit).map((e) => e.key.slice(LAST_SEEN_KEY_PREFIX.length));
  }

  /** Deletes an idle user's last-use entry, unless they used a session meanwhile. Returns whether it did. */
  async forgetIdle(userId: string): Promise<boolean> {
    const entry = await this.#store.getToken(lastSeenKey(userId));
    if (entry === null || entry.expiresAt === null || Date.parse(entry.expiresAt) > this.#clock.now().getTime()) return false;
    return this.#store.deleteToken(entry.key);
  }

  /** Whether a last use is older than `idleMs`. */
  isIdle(seen: LastSeen): boolean {
    return this.#clock.now().getTime() - Date.parse(seen.lastSeenAt) >= this.#idleMs;
  }

  /** Idle time after which a user counts as gone, in milliseconds. */
  get idleMs(): number {
    return this.#idleMs;
  }

  /** Ends a session; returns whether it existed. Safe to call twice. */
  async destroy(sessionId: string): Promise<boolean> {
    if (!SESSION_ID.test(sessionId)) return false;
    return this.#store.deleteToken(sessionKey(sessionId));
  }

  /**
   * Deletes sessions that expired (whose browser never came back). Other entries of the token
   * store are left alone. Reads at most `maxScanned` entries; returns how many were deleted.
   */
  async sweepExpired(maxScanned = 10_000): Promise<number> {
    const now = this.#clock.now();
    let deleted = 0;
    let others = 0;
    for (;;) {
      const limit = others + 500;
      if (limit > maxScanned) break;
      // Soonest first: the expired entries of other prefixes stay, so each pass reads past them.
      const entries = await this.#store.listTokensExpiringBefore(now, limit);
      for (const entry of entries) {
        if (entry.key.startsWith(SESSION_KEY_PREFIX) && (await this.#store.deleteToken(entry.key))) deleted++;
      }
      others = entries.filter((entry) => !entry.key.startsWith(SESSION_KEY_PREFIX)).length;
      if (entries.length < limit) break;
    }
    return deleted;
  }
}

/** Cookie attributes shared by the cookies of this module. */
function cookieOptions(ctx: Context, expires: Date | null, path = '/') {
  return {
    signed: true,
    httpOnly: true,
    sameSite: 'lax' as const,
    // True over TLS, or behind a proxy that says so (X-Forwarded-Proto) when `app.proxy` is on.
    secure: ctx.secure,
    path,
    overwrite: true,
    ...(expires ? { expires } : {}),
  };
}

/** Sends the session cookie (HttpOnly, signed, SameSite=Lax, Secure over TLS) until `expiresAt`. */
export function setSessionCookie(ctx: Context, sessionId: string, expiresAt: string): void {
  ctx.cookies.set(SESSION_COOKIE, sessionId, cookieOptions(ctx, new Date(expiresAt)));
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, null, cookieOptions(ctx, null));
}

/** The session id of the request's cookie when its signature is valid, else `undefined`. */
export function readSessionCookie(ctx: Context): string | undefined {
  return ctx.cookies.get(SESSION_COOKIE, { signed: true }) || undefined;
}

/** Sends the sign-in state cookie, scoped to `/api/auth`, until `expiresAt`. */
export function setLoginStateCookie(ctx: Context, state: string, expiresAt: string): void {
  ctx.cookies.set(LOGIN_STATE_COOKIE, state, cookieOptions(ctx, new Date(expiresAt), '/api/auth'));
}

/** Reads the sign-in state cookie (signature checked) and removes it. */
export function takeLoginStateCookie(ctx: Context): string | undefined {
  const state = ctx.cookies.get(LOGIN_STATE_COOKIE, { signed: true }) || undefined;
  ctx.cookies.set(LOGIN_STATE_COOKIE, null, cookieOptions(ctx, null, '/api/auth'));
  return state;
}

/** Options of {@link sessionAuthenticator}. */
export interface SessionAuthenticatorOptions {
  /**
   * Origins besides the request's own from which writes with the session cookie are accepted,
   * e.g. `https://crm.acme.com` when a reverse proxy reaches the server under another host or
   * scheme (`createSignIn` passes the origin of `MS365_REDIRECT_URI`).
   * @default []
   */
  trustedOrigins?: readonly string[];
  /**
   * Keys of the CSRF tokens (the cookie keys: current `SESSION_SECRET` first). When given, a
   * write made with the session cookie must also carry the session's token in `X-CSRF-Token`
   * (`csrf_failed`, 403, otherwise; see `csrfTokenFor`). `createApp` passes its cookie keys.
   * @default [] (no token checked: only the Origin / Sec-Fetch-Site check)
   */
  csrfKeys?: readonly string[];
}

/** A principal that came from a session cookie. */
export interface SessionPrincipal extends Principal {
  /** Always `session`. */
  method: 'session';
}

/**
 * Recognises the session cookie: `null` without one (or with a bad signature: the next
 * authenticator, or a 401, follows), {@link UnauthenticatedError} for an ended session (the
 * cookie is cleared), `csrf_rejected` (403, {@link assertSameOriginRequest}) for a cross-site
 * request that would change something, and `csrf_failed` (403) for such a request without the
 * session's CSRF token when `csrfKeys` are given. A renewed session's cookie is sent again.
 *
 * @example
 * ```ts
 * createApp({ ..., authenticators: [apiKeyAuthenticator(store, { clock }), sessionAuthenticator(sessions, store)] });
 * ```
 */
export function sessionAuthenticator(sessions: SessionManager, users: UserStore, options: SessionAuthenticatorOptions = {}): Authenticator {
  const trustedOrigins = options.trustedOrigins ?? [];
  const csrfKeys = options.csrfKeys ?? [];
  return async (ctx) => {
    const sessionId = readSessionCookie(ctx);
    if (sessionId === undefined) return null;
    const session = await sessions.get(sessionId);
    if (session === null) {
      clearSessionCookie(ctx);
      throw new UnauthenticatedError('Your session has ended; sign in again.', { hint: 'Sign in at /api/auth/login.' });
    }
    const user = await users.getUser(session.userId);
    if (user === null) {
      await sessions.destroy(sessionId);
      clearSessionCookie(ctx);
      throw new UnauthenticatedError('Your session has ended; sign in again.', { hint: 'Sign in at /api/auth/login.' });
    }
    assertSameOriginRequest(ctx, trustedOrigins);
    if (csrfKeys.length > 0) assertCsrfToken(ctx, sessionId, csrfKeys);
    if (session.renewed) setSessionCookie(ctx, sessionId, session.expiresAt);
    const principal: SessionPrincipal = { user, method: 'session' };
    return principal;
  };
}

/**
 * Whether the pre-refresh job keeps a person's Microsoft 365 session alive: `sign_out` when the
 * user is gone, rejected, or idle past `idleMs`; `skip` when none of their sessions is live (they
 * would have to sign in again anyway); `refresh` otherwise. `seen` is `null` for a user never
 * recorded (a session started before last uses were recorded): counted as seen `now`.
 */
export function sessionRefreshVerdict(
  user: Pick<User, 'status'> | null,
  seen: LastSeen | null,
  now: Date,
  idleMs: number,
): 'refresh' | 'skip' | 'sign_out' {
  if (user === null || user.status === 'rejected') return 'sign_out';
  if (seen === null) return 'refresh';
  if (now.getTime() - Date.parse(seen.lastSeenAt) >= idleMs) return 'sign_out';
  return Date.parse(seen.liveUntil) > now.getTime() ? 'refresh' : 'skip';
}

/** Handle of {@link startSessionSweep}. */
export interface SessionSweepHandle {
  /** Stops the sweeps and waits for one in progress. Safe to call twice. */
  stop(): Promise<void>;
}

/** One pass of {@link startSessionSweep}. */
export async function sweepOnce(
  sessions: SessionManager,
  options: { logger?: Logger; onIdleUser?: (userId: string) => Promise<void> } = {},
): Promise<{ deleted: number; idle: number }> {
  const deleted = await sessions.sweepExpired();
  if (deleted > 0) options.logger?.info({ deleted }, 'expired sessions removed');
  let idle = 0;
  if (options.onIdleUser) {
    for (const userId of await sessions.idleUsers()) {
      // Checked again right before: someone who just came back keeps their tokens.
      const seen = await sessions.lastSeen(userId);
      if (seen !== null && !sessions.isIdle(seen)) continue;
      await options.onIdleUser(userId);
      if (await sessions.forgetIdle(userId)) idle++;
    }
    if (idle > 0) options.logger?.info({ idle }, 'idle users signed out of Microsoft 365');
  }
  return { deleted, idle };
}

/**
 * Runs {@link sweepOnce} (expired sessions, then idle users) every `intervalMs` on `clock`; failures are logged
 * and retried on the next pass. Several replicas may sweep at once: deletes are idempotent.
 */
export function startSessionSweep(
  sessions: SessionManager,
  options: {
    clock?: Clock;
    intervalMs?: number;
    logger?: Logger;
    /** Called for each user idle past the sessions' `idleMs` (e.g. to delete their Microsoft 365 tokens); then their last-use entry goes. */
    onIdleUser?: (userId: string) => Promise<void>;
  } = {},
): SessionSweepHandle {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 60 * 60 * 1000;
  if (!(intervalMs > 0)) throw new TypeError(`Expected options.intervalMs to be positive, got ${String(intervalMs)}.`);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      running = sweepOnce(sessions, options)
        .then(() => undefined)
        .catch((err: unknown) => options.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'session sweep failed'))
        .finally(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      await running;
    },
  };
}
