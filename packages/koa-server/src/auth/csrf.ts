/**
 * CSRF tokens of browser sessions: an HMAC of the session id with the server's session secret,
 * rendered in `<meta name="odoo-sync-csrf">` on every page and sent back by the page's scripts
 * as `X-CSRF-Token` with every write made with the session cookie. A site that cannot read this
 * server's pages cannot know it; API-key (Bearer) requests do not need it.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { HttpProblem } from '../http/errors.js';

/** The request header that carries the token. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** Name of the `<meta>` element that holds the token on every page. */
export const CSRF_META = 'odoo-sync-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The CSRF token of a session: base64url HMAC-SHA256 of the session id, keyed with `key` (the
 * current `SESSION_SECRET`). Deterministic, so every page of one session carries the same token;
 * a new session (every sign-in) has a new one.
 */
export function csrfTokenFor(sessionId: string, key: string): string {
  return createHmac('sha256', key).update(`odoo-sync csrf\0${sessionId}`, 'utf8').digest('base64url');
}

/** Whether `token` is the CSRF token of `sessionId` under one of `keys` (constant time per key). */
export function isValidCsrfToken(sessionId: string, token: string, keys: readonly string[]): boolean {
  const given = Buffer.from(token, 'utf8');
  let valid = false;
  for (const key of keys) {
    const expected = Buffer.from(csrfTokenFor(sessionId, key), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

/**
 * Throws `csrf_failed` (403) when a request that changes something (not GET, HEAD or OPTIONS),
 * authenticated by the session `sessionId`, does not carry that session's token in
 * `X-CSRF-Token`. Safe methods pass.
 */
export function assertCsrfToken(ctx: Pick<Context, 'method' | 'get'>, sessionId: string, keys: readonly string[]): void {
  if (SAFE_METHODS.has(ctx.method)) return;
  const token = ctx.get(CSRF_HEADER);
  if (token !== '' && isValidCsrfToken(sessionId, token, keys)) return;
  throw new HttpProblem('csrf_failed', token === '' ? 'This change was sent without its CSRF token; it was refused.' : 'The CSRF token of this change does not belong to your session; it was refused.', {
    hint: `Pages of this site send the token of <meta name="${CSRF_META}"> as ${CSRF_HEADER}; reload the page (after signing in again, the token changes). Programs use an API key (Authorization: Bearer) instead.`,
  });
}

/**
 * Whether a cookie-authenticated request may change something: safe methods always; others
 * only when the browser does not say it comes from another site — `Sec-Fetch-Site` is
 * `same-origin` or `none` (or absent), and `Origin` (when sent) is this server's own origin as
 * the request reached it, or one of `trustedOrigins` (the public origin behind a reverse proxy).
 * SameSite=Lax already keeps the cookie off most cross-site POSTs; this also stops sibling
 * subdomains (`same-site`), `Origin: null` and browsers that ignore SameSite.
 */
export function isSameOriginRequest(ctx: Context, trustedOrigins: readonly string[] = []): boolean {
  if (SAFE_METHODS.has(ctx.method)) return true;
  const site = ctx.get('Sec-Fetch-Site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = ctx.get('Origin');
  // Koa 3's ctx.origin is the Origin header itself: compare with this server's own origin.
  return !origin || origin === `${ctx.protocol}://${ctx.host}` || trustedOrigins.includes(origin);
}

/**
 * Throws `csrf_rejected` (403) unless {@link isSameOriginRequest}: for requests authenticated
 * by the session cookie (API-key requests are not subject to it).
 */
export function assertSameOriginRequest(ctx: Context, trustedOrigins: readonly string[] = []): void {
  if (isSameOriginRequest(ctx, trustedOrigins)) return;
  throw new HttpProblem('csrf_rejected', 'This request comes from another site; it was refused.', {
    hint: 'Changes made with the sign-in cookie must come from pages of this site. Programs use an API key (Authorization: Bearer) instead.',
  });
}
