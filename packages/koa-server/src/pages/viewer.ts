/**
 * Who is looking at a page, the headers every page carries (Content-Security-Policy and the
 * other security headers), and the answers a page gives: the page, or a redirect to where the
 * person belongs (sign-in, waiting for approval, refused).
 * @module
 */
import { UnauthenticatedError } from '@odoo-sync/core/errors';
import type { User } from '@odoo-sync/core';
import type { Principal } from '../auth/authenticate.js';
import { csrfTokenFor } from '../auth/csrf.js';
import { readSessionCookie } from '../auth/session.js';
import type { RouteDeps } from '../http/route.js';
import type { RequestContext } from '../http/state.js';
import { renderPage, type PageFrame, type PageViewer } from './shell.js';

/** Microsoft's sign-in origin: where the sign-in goes (allowed as a form action). */
export const MICROSOFT_LOGIN_ORIGIN = 'https://login.microsoftonline.com';

/**
 * The Content-Security-Policy of every page: scripts and styles of this origin only (no inline
 * script or style), no plugins, no `<base>`, never framed, forms only to this origin and to
 * `formActionOrigins` (Microsoft's sign-in).
 */
export function pageCsp(formActionOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self'${formActionOrigins.map((o) => ` ${o}`).join('')}`,
  ].join('; ');
}

/** A path of this site to come back to, or `fallback` (no other site, no `//host`, no backslash tricks). */
export function safeReturnTo(value: unknown, fallback = '/dashboard'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || Array.from(value, (c) => c.charCodeAt(0)).some((code) => code < 0x20)) return fallback;
  // The sign-in pages themselves are not a place to come back to.
  if (/^\/(signin|pending|rejected)(?:[/?#]|$)/.test(value)) return fallback;
  return value;
}

/** The caller of a page request. */
export type PageCaller =
  | { kind: 'none'; ended: boolean }
  | { kind: 'signed_in'; principal: Principal; csrfToken: string | null };

/**
 * Recognises the caller with the app's authenticators. An ended session (the authenticator
 * throws {@link UnauthenticatedError} and clears the cookie) is `none` with `ended: true`.
 */
export async function callerOfPage(ctx: RequestContext, deps: Pick<RouteDeps, 'authenticators'>, cookieKey: string | null): Promise<PageCaller> {
  try {
    for (const authenticator of deps.authenticators) {
      const principal = await authenticator(ctx);
      if (principal) {
        ctx.state.principal = principal;
        const sessionId = principal.method === 'session' && cookieKey !== null ? readSessionCookie(ctx) : undefined;
        return { kind: 'signed_in', principal, csrfToken: sessionId !== undefined && cookieKey !== null ? csrfTokenFor(sessionId, cookieKey) : null };
      }
    }
    return { kind: 'none', ended: false };
  } catch (err) {
    if (err instanceof UnauthenticatedError) return { kind: 'none', ended: true };
    throw err;
  }
}

/** The page viewer of a user. */
export function viewerOf(user: User): PageViewer {
  return { name: user.name, email: user.email, role: user.role, reauthRequired: user.reauthRequired };
}

/** The path and query of this request (where to come back to). */
export function hereOf(ctx: RequestContext): string {
  return safeReturnTo(ctx.originalUrl, '/dashboard');
}

/** Sends a page with its security headers; never cached (it holds the session's CSRF token). */
export function sendPage(ctx: RequestContext, frame: PageFrame, formActionOrigins: readonly string[], status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', pageCsp(formActionOrigins));
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  // Not `no-referrer` (the API's): with it, the browser sends `Origin: null` with the page's own
  // form posts, which the same-origin check must refuse. Other sites still get no referrer.
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  ctx.body = renderPage(frame);
}

/** Redirects with 303 (never cached). */
export function redirectTo(ctx: RequestContext, location: string): void {
  ctx.status = 303;
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(location);
  ctx.status = 303;
}

/**
 * Where a signed-in person belongs instead of an approved person's page: `/pending` or
 * `/rejected`, or `null` when they are approved.
 */
export function placeOf(user: User): '/pending' | '/rejected' | null {
  if (user.status === 'pending') return '/pending';
  if (user.status === 'rejected') return '/rejected';
  return null;
}
