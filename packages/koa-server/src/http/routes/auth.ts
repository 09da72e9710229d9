/**
 * Microsoft 365 sign-in: login, callback, logout, who am I, and a live check of the caller's
 * Microsoft 365 session. Sessions are {@link SessionManager} sessions in a signed cookie.
 * @module
 */
import { UnauthenticatedError } from '@odoo-sync/core/errors';
import type { Ms365TokenRefresher } from '@odoo-sync/ms365-auth';
import type { Principal } from '../../auth/authenticate.js';
import { HttpProblem } from '../errors.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema } from '../schemas.js';
import { callerOf, noteActivity, type RequestContext } from '../state.js';
import { actorOf, linkActivity, signedIn as signedInActivity, signedOut } from '../activity-events.js';
import { assertSameOriginRequest } from '../../auth/csrf.js';
import {
  clearSessionCookie,
  readSessionCookie,
  setLoginStateCookie,
  setSessionCookie,
  takeLoginStateCookie,
  type SessionManager,
} from '../../auth/session.js';
import type { OdooDirectoryCache } from '../../linking/odoo-directory.js';
import { linkIfUnlinked } from '../../linking/link.js';
import { resolveSignedInUser, type SignedInUser } from '../../auth/sign-in-users.js';
import { assertCsrfToken, csrfTokenFor } from '../../auth/csrf.js';
import { callbackQuerySchema, loginQuerySchema, meSchema, ms365TokenCheckSchema, publicUser } from '../user-schemas.js';

/** What the sign-in routes need from Microsoft 365; `Ms365TokenRefresher` from `@odoo-sync/ms365-auth` fits. */
export type Ms365SignInProvider = Pick<
  Ms365TokenRefresher,
  'loginUrl' | 'handleCallback' | 'signOut' | 'sessionStatus' | 'getToken' | 'reauthLoginUrl'
> &
  Partial<Pick<Ms365TokenRefresher, 'readProfile'>>;

/** Options of the sign-in routes and sessions (`createApp({ signIn })`). */
export interface SignInOptions {
  /** Where sessions live (the store every replica shares). */
  sessions: SessionManager;
  /**
   * Keys that sign the cookies (Koa `app.keys`): the current `SESSION_SECRET` first, older ones
   * after it while they are rotated out.
   */
  cookieKeys: readonly string[];
  /** Microsoft 365 sign-in; `null` or absent: login and callback answer 404 `ms365_not_configured`. */
  ms365?: Ms365SignInProvider | null;
  /**
   * E-mail domains whose new users are approved at once (others wait for an admin), compared
   * case-insensitively, e.g. `['contoso.com']`.
   * @default []
   */
  autoApproveDomains?: readonly string[];
  /**
   * Origins besides the request's own from which writes with the session cookie are accepted
   * (the public origin when a reverse proxy reaches the server under another host or scheme);
   * writes from any other site answer 403 `csrf_rejected`. Writes with the session cookie also
   * carry the session's CSRF token in `X-CSRF-Token` (403 `csrf_failed` without it).
   * @default []
   */
  trustedOrigins?: readonly string[];
}

/** Lower-cased domains, without a leading `@`. */
export function normalizeDomains(domains: readonly string[]): Set<string> {
  return new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter((d) => d !== ''));
}

function notConfigured(): HttpProblem {
  return new HttpProblem('ms365_not_configured', 'Microsoft 365 sign-in is not configured on this server.', {
    hint: 'Set MS365_CLIENT_ID, MS365_CLIENT_SECRET, MS365_TENANT_ID, MS365_REDIRECT_URI, TOKEN_KEYS and SESSION_SECRET.',
  });
}

/** The caller, recognised by the app's authenticators, or `null`. Sets `ctx.state.principal`. */
async function principalOf(ctx: RequestContext, deps: Pick<RouteDeps, 'authenticators'>): Promise<Principal | null> {
  for (const authenticator of deps.authenticators) {
    const principal = await authenticator(ctx);
    if (principal) {
      ctx.state.principal = principal;
      return principal;
    }
  }
  return null;
}

/**
 * `GET /api/auth/login`, `GET /api/auth/callback`, `POST /api/auth/logout`, `GET /api/auth/me`,
 * `GET /api/auth/ms365/session`. With `signIn` absent, only `/me` and `/logout` do anything
 * (an API-key caller can still ask who they are).
 */
export function authRoutes(deps: Pick<RouteDeps, 'authenticators' | 'store' | 'clock' | 'logger'>, signIn: SignInOptions | null, autoLink: OdooDirectoryCache | null = null): AnyRoute[] {
  const ms365 = signIn?.ms365 ?? null;
  const autoApprove = normalizeDomains(signIn?.autoApproveDomains ?? []);

  return [
    defineRoute({
      method: 'GET',
      path: '/api/auth/login',
      operationId: 'login',
      summary: 'Starts a Microsoft 365 sign-in: redirects to Microsoft.',
      description:
        'Sets a short-lived HttpOnly cookie with the sign-in state (the callback must come back to the same browser). ' +
        '404 `ms365_not_configured` when Microsoft 365 sign-in is not configured.',
      tag: 'auth',
      access: 'public',
      query: loginQuerySchema,
      responses: {
        302: { description: 'Redirect to Microsoft\'s sign-in page.' },
        404: { description: 'Microsoft 365 sign-in is not configured (`ms365_not_configured`).', schema: errorBodySchema },
      },
      async handle(ctx, { query }) {
        if (!ms365) throw notConfigured();
        const login = await ms365.loginUrl({
          ...(query.returnTo !== undefined ? { returnTo: query.returnTo } : {}),
          ...(query.loginHint !== undefined ? { loginHint: query.loginHint } : {}),
        });
        setLoginStateCookie(ctx, login.state, login.expiresAt);
        ctx.redirect(login.url);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/auth/callback',
      operationId: 'loginCallback',
      summary: 'Where Microsoft sends the browser back: finishes the sign-in and starts a session.',
      description:
        'A person is their Microsoft 365 identity (tenant id + object id), never their e-mail claim. ' +
        'Creates the user on first sign-in (the first user becomes admin when there is none; others are `pending` unless ' +
        'their sign-in name\'s domain is in `AUTO_APPROVE_DOMAINS`), links an approved user without a link to their Odoo user and ' +
        'employee when exactly one person fits (unless `LINK_AUTOMATICALLY=false`; a failed match does not stop the sign-in), ' +
        'sets the session cookie and redirects to `returnTo` (or `/`). ' +
        '401 when the sign-in was not started in this browser, expired, was used, failed at Microsoft, or comes from a tenant ' +
        'that may not sign in; 409 `identity_conflict` when the e-mail address belongs to another user.',
      tag: 'auth',
      access: 'public',
      query: callbackQuerySchema,
      responses: {
        302: { description: 'Signed in: redirect to `returnTo` or `/`, with the session cookie.' },
        401: { description: 'The sign-in cannot be completed (`unauthenticated`): sign in again.', schema: errorBodySchema },
        404: { description: 'Microsoft 365 sign-in is not configured (`ms365_not_configured`).', schema: errorBodySchema },
        409: { description: 'The e-mail address belongs to another user (`identity_conflict`): an admin resolves it.', schema: errorBodySchema },
      },
      activity: { types: ['user_signed_in', 'user_linked'], mode: 'durable' },
      async handle(ctx, { query }) {
        if (!ms365 || !signIn) throw notConfigured();
        const expectedState = takeLoginStateCookie(ctx);
        if (expectedState === undefined) {
          throw new UnauthenticatedError('This sign-in was not started in this browser, or took too long. Please sign in again.', {
            hint: 'Start again at /api/auth/login.',
          });
        }
        const signedIn: { value: SignedInUser | null } = { value: null };
        const result = await ms365.handleCallback(query, {
          expectedState,
          resolveUserId: async (identity, profile) => {
            signedIn.value = await resolveSignedInUser(deps, identity, autoApprove, profile);
            return signedIn.value.user.id;
          },
        });
        if (signedIn.value === null) throw new TypeError('handleCallback returned without resolving the user.');
        const { user: found, outcome } = signedIn.value;
        // A rejected person may see that they are (GET /api/auth/me), but keeps no Microsoft 365 tokens here.
        if (found.status === 'rejected') await ms365.signOut(found.id);
        const current = found.reauthRequired ? await deps.store.updateUser(found.id, { reauthRequired: false }, deps.clock.now()) : found;
        // An approved person not linked yet is linked to their Odoo user and employee now, when
        // exactly one person fits; otherwise they stay unlinked (relink later, or an admin).
        // Microsoft 365's employee id (Graph profile) is evidence too, when Odoo holds it (LINK_EMPLOYEE_ID_FIELD).
        const user = await linkIfUnlinked(deps, autoLink, current, current.id, { employeeNumber: result.profile?.employeeId ?? null });
        // A new session id on every sign-in (no fixation); the browser's previous session ends.
        const previous = readSessionCookie(ctx);
        if (previous !== undefined) await signIn.sessions.destroy(previous);
        const { id, session } = await signIn.sessions.create(user.id);
        setSessionCookie(ctx, id, session.expiresAt);
        ctx.state.principal = { user, method: 'session' };
        deps.logger.info({ userId: user.id, outcome, role: user.role, status: user.status, tenantId: result.tenantId }, 'signed in with Microsoft 365');
        noteActivity(ctx, signedInActivity(user, outcome));
        const linked = linkActivity(actorOf(user), user, current.odooLink, false);
        if (linked) noteActivity(ctx, linked);
        ctx.redirect(result.returnTo ?? '/');
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/auth/logout',
      operationId: 'logout',
      summary: 'Signs out: ends the session on every replica and forgets the Microsoft 365 tokens.',
      description: 'Answers 204 whether or not a session was open (idempotent).',
      tag: 'auth',
      access: 'public',
      responses: { 204: { description: 'Signed out.' } },
      activity: { types: ['user_signed_out'], mode: 'durable' },
      async handle(ctx) {
        // Without sign-in there are no sessions, and no cookie keys to read or clear a signed cookie with.
        if (!signIn) {
          ctx.status = 204;
          return;
        }
        const sessionId = readSessionCookie(ctx);
        if (sessionId !== undefined) {
          assertSameOriginRequest(ctx, signIn.trustedOrigins ?? []);
          const session = await signIn.sessions.get(sessionId);
          // Ending a live session takes its CSRF token; a cookie of no session is just cleared.
          if (session !== null) assertCsrfToken(ctx, sessionId, signIn.cookieKeys);
          await signIn.sessions.destroy(sessionId);
          if (session !== null) {
            ctx.state.signedOutUserId = session.userId;
            if (ms365) await ms365.signOut(session.userId);
            deps.logger.info({ userId: session.userId }, 'signed out');
            const user = await deps.store.getUser(session.userId);
            if (user !== null) noteActivity(ctx, signedOut(user));
          }
        }
        clearSessionCookie(ctx);
        ctx.status = 204;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/auth/me',
      operationId: 'me',
      summary: 'Who is calling: user, role, status, Odoo link and Microsoft 365 session health.',
      description: 'Answers for pending and rejected users too (so a person can see they are waiting for approval); 401 without credentials.',
      tag: 'auth',
      access: 'public',
      responses: {
        200: { description: 'The caller.', schema: meSchema },
        401: { description: 'Not signed in (`unauthenticated`).', schema: errorBodySchema },
      },
      async handle(ctx) {
        const principal = await principalOf(ctx, deps);
        if (principal === null) {
          throw new UnauthenticatedError('You are not signed in.', {
            hint: ms365 ? 'Sign in at /api/auth/login.' : 'Send Authorization: Bearer <api key>.',
          });
        }
        const user = principal.user;
        let health = null;
        if (ms365) {
          const status = await ms365.sessionStatus(user.id);
          health = {
            state: status.state,
            account: status.account ? { username: status.account.username, name: status.account.name, tenantId: status.account.tenantId } : null,
            accessTokenExpiresAt: status.accessTokenExpiresAt,
            reauth: status.reauth ? { at: status.reauth.at, reason: status.reauth.reason } : null,
            loginUrl: status.loginUrl,
          };
        }
        const sessionId = principal.method === 'session' && signIn ? readSessionCookie(ctx) : undefined;
        const csrfToken = sessionId !== undefined && signIn ? csrfTokenFor(sessionId, signIn.cookieKeys[0] ?? '') : null;
        ctx.body = { user: publicUser(user), authMethod: principal.method, ms365: health, csrfToken };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/auth/ms365/session',
      operationId: 'checkMs365Session',
      summary: 'Checks the caller\'s Microsoft 365 session live: gets an access token, refreshing it silently when due.',
      description:
        'Never returns the token. 401 `reauth_required` with `details.loginUrl` when Microsoft will no longer refresh it ' +
        '(the person must sign in again); 503 `ms365_unavailable` when Microsoft cannot be reached (the session is kept).',
      tag: 'auth',
      access: 'user',
      responses: {
        200: { description: 'The session works.', schema: ms365TokenCheckSchema },
        401: { description: '`reauth_required` (with `details.loginUrl`) or `unauthenticated`.', schema: errorBodySchema },
        503: { description: 'Microsoft 365 unreachable (`ms365_unavailable`); the session is kept.', schema: errorBodySchema },
      },
      async handle(ctx) {
        if (!ms365) throw notConfigured();
        const token = await ms365.getToken(callerOf(ctx).user.id);
        ctx.body = { state: 'signed_in', accessTokenExpiresAt: token.expiresAt, scopes: token.scopes, fromCache: token.fromCache };
      },
    }),
  ];
}
