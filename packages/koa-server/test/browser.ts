/** A browser for sign-in tests: a cookie jar, fetch with it, and the whole Microsoft 365 sign-in. */
import type { FakeEntraId, FakeEntraUser } from '@odoo-sync/ms365-auth/testing';
import { expect } from 'vitest';
import { call } from './helpers.js';

/** A browser's cookies: what Set-Cookie headers set, sent back in a Cookie header. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  readonly raw: string[] = [];
  take(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      this.raw.push(line);
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * fetch as a browser: cookies from the jar, no redirects followed. A write made with the session
 * cookie carries the session's CSRF token as a page's script would (read from `/api/auth/me`),
 * unless `csrf: false` or the caller sets `X-CSRF-Token` itself.
 */
export async function browse(jar: CookieJar, url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; key?: string; csrf?: boolean } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (jar.cookies.size > 0) headers['Cookie'] = jar.header();
  const write = (init.method ?? 'GET') !== 'GET';
  if (write && init.csrf !== false && jar.cookies.has('odoo_sync_session') && !Object.keys(headers).some((h) => h.toLowerCase() === 'x-csrf-token')) {
    const me = await call(new URL('/api/auth/me', url).toString(), { headers: { Cookie: jar.header() }, redirect: 'manual' });
    const token = (me.json as { csrfToken?: string | null } | undefined)?.csrfToken;
    if (typeof token === 'string') headers['X-CSRF-Token'] = token;
  }
  const res = await call(url, { ...init, headers, redirect: 'manual' });
  jar.take(res.headers);
  return res;
}

/** The whole sign-in as a browser does it: login → Microsoft → callback. */
export async function signIn(w: { entra: FakeEntraId }, replica: { url: string }, jar: CookieJar, user: FakeEntraUser, returnTo?: string) {
  const login = await browse(jar, `${replica.url}/api/auth/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
  expect(login.status).toBe(302);
  const microsoft = login.headers.get('location') ?? '';
  const back = new URL(w.entra.authorize(microsoft, user.oid).redirectUrl);
  const callback = await browse(jar, `${replica.url}${back.pathname}${back.search}`);
  return { login, microsoft, callback, code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' };
}
