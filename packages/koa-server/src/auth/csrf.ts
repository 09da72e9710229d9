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
