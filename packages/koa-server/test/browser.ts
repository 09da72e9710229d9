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

/** fetch as a browser: cookies from the jar, no redirects followed. */
export async function browse(jar: CookieJar, url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; key?: string } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (jar.cookies.size > 0) headers['Cookie'] = jar.header();
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
