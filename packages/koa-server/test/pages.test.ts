/**
 * The server's pages in Debian's Chromium (playwright-core) over a real server, the Odoo
 * simulator and the demo's Microsoft 365 stand-in (FakeEntraId with its person picker): sign in,
 * pending, approve, rejected, the "sign in again" banner after Microsoft revoked the refresh
 * token, CSRF, CSP (0 violations) and axe-core (0 serious or critical) on every page, and the
 * screenshots of docs/images/ (written there with UPDATE_SCREENSHOTS=1: `pnpm screenshots`).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoObjectId } from '../src/cli/demo-people.js';
import { DESKTOP, escapeRegExp, usePagesServer } from './pages-setup.js';

// `pnpm screenshots` (UPDATE_SCREENSHOTS=1) writes them into docs/images/; other runs into a temporary
// folder, so the committed images change only when asked (times and ids on the pages differ per run).
const IMAGES = process.env['UPDATE_SCREENSHOTS'] === '1' ? join(import.meta.dirname, '../../../docs/images') : join(tmpdir(), 'odoo-sync-page-screenshots');
const SIZES = { desktop: DESKTOP, phone: { width: 390, height: 844 } } as const;

const pages = usePagesServer('pages', 'pages-test-bootstrap-admin-key-0123');
const { person, who, signInAs, axeProblems } = pages;

/** Checks a page (axe, CSP headers) and writes its screenshots at 1400×900 and 390×844. */
async function checkAndShoot(page: Page, name: string): Promise<void> {
  const answer = await page.request.get(page.url(), { maxRedirects: 0 });
  expect(answer.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(await axeProblems(page), `axe on ${name}`).toEqual([]);
  mkdirSync(IMAGES, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(IMAGES, `page-${name}-${size}.png`) });
  }
  await page.setViewportSize(SIZES.desktop);
}

describe('pages in Chromium', () => {
  it('sign-in page: strict CSP, no violation, accessible; a visitor of a page is sent there and comes back after signing in', { timeout: 120_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    await page.goto(`${pages.url}/profile`);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/signin?returnTo=%2Fprofile');
    const res = await page.request.get(`${pages.url}/signin`);
    const csp = res.headers()['content-security-policy'] ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self' https://login.microsoftonline.com"]) {
      expect(csp).toContain(directive);
    }
    expect(res.headers()['x-frame-options']).toBe('DENY');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    await checkAndShoot(page, 'signin');
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    await page.getByRole('link', { name: new RegExp(escapeRegExp(who('email').upn)) }).click();
    await page.waitForURL(`${pages.url}/profile`);
    // The session cookie is HttpOnly and SameSite=Lax.
    const cookie = (await context.cookies(pages.url)).find((c) => c.name === 'odoo_sync_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The page carries the session's CSRF token; the top bar says who and their role.
    const token = await page.locator('meta[name="odoo-sync-csrf"]').getAttribute('content');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => page.locator('.who-name').textContent()).toBe(who('email').name);
    expect(context.violations).toEqual([]);
    await context.close();
  });

  it('pending: waits with the admins named; approved by an admin, then on to the dashboard; rejected people see that', { timeout: 180_000 }, async () => {
    const pendingContext = await person();
    const pending = await pendingContext.newPage();
    await signInAs(pending, who('pending'));
    expect(new URL(pending.url()).pathname).toBe('/pending');
    await pending.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    const text = (await pending.locator('main').textContent()) ?? '';
    expect(text).toContain(who('admin').name);
    expect(text).toContain(who('admin').upn);
    await checkAndShoot(pending, 'pending');
    // A pending person cannot reach the other pages.
    await pending.goto(`${pages.url}/records/contacts`);
    expect(new URL(pending.url()).pathname).toBe('/pending');

    const adminContext = await person();
    const admin = await adminContext.newPage();
    await signInAs(admin, who('admin'));
    expect(new URL(admin.url()).pathname).toBe('/dashboard');
    await expect.poll(() => admin.locator('.role').textContent()).toBe('Admin');
    await admin.getByRole('link', { name: 'Admin' }).waitFor();
    const pendingUser = await pages.running.store.getUserByEmail(who('pending').upn);
    // The admin approves with their page's session and CSRF token, as the admin page does.
    const approved = await admin.evaluate(async (id) => {
      const token = document.querySelector('meta[name="odoo-sync-csrf"]')?.getAttribute('content') ?? '';
      const res = await fetch(`/api/admin/users/${id}/approve`, { method: 'POST', headers: { 'X-CSRF-Token': token } });
      return res.status;
    }, pendingUser!.id);
    expect(approved).toBe(200);
    await pending.goto(`${pages.url}/dashboard`);
    expect(new URL(pending.url()).pathname).toBe('/dashboard');

    // An admin refuses someone: they see that, on any page.
    await pages.running.store.updateUser(pendingUser!.id, { status: 'rejected' }, new Date());
    await pending.goto(`${pages.url}/timeline`);
    expect(new URL(pending.url()).pathname).toBe('/rejected');
    await pending.getByRole('heading', { name: 'Access refused' }).waitFor();
    await checkAndShoot(pending, 'rejected');
    expect(pendingContext.violations).toEqual([]);
    expect(adminContext.violations).toEqual([]);
    await pendingContext.close();
    await adminContext.close();
  });

  it('a write without the page\'s CSRF token is refused (403 csrf_failed); sign out works with it', { timeout: 120_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    await signInAs(page, who('newcomer'));
    const answers = await page.evaluate(async () => {
      const token = document.querySelector('meta[name="odoo-sync-csrf"]')?.getAttribute('content') ?? '';
      const without = await fetch('/api/auth/relink-odoo', { method: 'POST' });
      const wrong = await fetch('/api/auth/relink-odoo', { method: 'POST', headers: { 'X-CSRF-Token': `${token.slice(1)}A` } });
      const right = await fetch('/api/auth/relink-odoo', { method: 'POST', headers: { 'X-CSRF-Token': token } });
      return [
        [without.status, ((await without.json()) as { error: { code: string } }).error.code],
        [wrong.status, ((await wrong.json()) as { error: { code: string } }).error.code],
        [right.status],
      ];
    });
    expect(answers[0]).toEqual([403, 'csrf_failed']);
    expect(answers[1]).toEqual([403, 'csrf_failed']);
    // With the token the request reaches the route: Nora is not in Odoo (no match), which is not a CSRF refusal.
    expect(answers[2]![0]).not.toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin\?signedOut=1/);
    await page.getByText('You are signed out.').waitFor();
    await page.goto(`${pages.url}/dashboard`);
    await page.waitForURL(/\/signin\?returnTo=/);
    expect(context.violations).toEqual([]);
    await context.close();
  });

  it('after Microsoft revokes the refresh token, pages show "sign in again" with a link that comes back to the page', { timeout: 120_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    const alias = who('alias');
    await signInAs(page, alias, '/records/contacts');
    expect(new URL(page.url()).pathname).toBe('/records/contacts');
    expect(await page.locator('#reauth-banner').isVisible()).toBe(false);
    // A component that meets reauth_required fires odoo-sync-reauth: the banner shows, linking back here.
    await page.evaluate(() => document.body.dispatchEvent(new CustomEvent('odoo-sync-reauth', { bubbles: true, composed: true, detail: { loginUrl: '/api/auth/login' } })));
    await page.locator('#reauth-banner').waitFor({ state: 'visible' });
    expect(await page.getByRole('link', { name: 'Sign in again' }).getAttribute('href')).toBe('/api/auth/login?returnTo=%2Frecords%2Fcontacts');
    // Microsoft revokes the refresh token; the next refresh fails and the person is marked: every page shows the banner.
    const user = await pages.running.store.getUserByEmail(alias.upn);
    expect(pages.signIn.entra.revokeRefreshTokens(demoObjectId(alias.upn))).toBeGreaterThan(0);
    await expect(pages.running.ms365!.getToken(user!.id, { forceRefresh: true })).rejects.toMatchObject({ code: 'reauth_required' });
    await page.goto(`${pages.url}/timeline?type=sync`);
    await page.locator('#reauth-banner').waitFor({ state: 'visible' });
    await checkAndShoot(page, 'reauth');
    // Signing in again comes back to the page, and the banner is gone.
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    await page.getByRole('link', { name: new RegExp(escapeRegExp(alias.upn)) }).click();
    await page.waitForURL(`${pages.url}/timeline?type=sync`);
    expect(await page.locator('#reauth-banner').isVisible()).toBe(false);
    expect(context.violations).toEqual([]);
    await context.close();
  });

  it('operators sign in with an API key (secondary form); static files revalidate by ETag; admin pages are for admins', { timeout: 120_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    await page.goto(`${pages.url}/signin?returnTo=%2Fadmin%2Fkeys`);
    await page.getByText('Operators: sign in with an API key').click();
    await page.getByLabel('API key').fill('osk_not-a-key');
    await page.getByRole('button', { name: 'Sign in with the key' }).click();
    await page.getByText('That API key is not valid').waitFor();
    await page.getByLabel('API key').fill('pages-test-bootstrap-admin-key-0123');
    await page.getByRole('button', { name: 'Sign in with the key' }).click();
    await page.waitForURL(`${pages.url}/admin/keys`);
    await page.getByRole('heading', { name: 'Admin' }).waitFor();
    expect(await page.locator('.tabs [aria-current=page]').textContent()).toBe('API keys');
    // Another site cannot sign a browser in with its own key (login CSRF): the Origin is checked.
    const forged = await page.request.post(`${pages.url}/signin/api-key`, { form: { key: 'pages-test-bootstrap-admin-key-0123' }, headers: { Origin: 'https://evil.test' }, maxRedirects: 0 });
    expect([forged.status(), ((await forged.json()) as { error: { code: string } }).error.code]).toEqual([403, 'csrf_rejected']);
    // Never back to another site.
    const away = await page.request.post(`${pages.url}/signin/api-key`, { form: { key: 'pages-test-bootstrap-admin-key-0123', returnTo: '//evil.test/x' }, headers: { Origin: pages.url }, maxRedirects: 0 });
    expect([away.status(), away.headers()['location']]).toEqual([303, '/dashboard']);
    // An unknown record type is a 404 page.
    expect((await page.request.get(`${pages.url}/records/nope`, { maxRedirects: 0 })).status()).toBe(404);
    // The stylesheet and the script revalidate cheaply.
    for (const path of ['/ui/pages.css', '/ui/pages.js']) {
      const first = await page.request.get(`${pages.url}${path}`);
      const etag = first.headers()['etag'] ?? '';
      expect([path, etag, first.headers()['cache-control']]).toEqual([path, expect.stringMatching(/^"[\w-]+"$/), 'no-cache']);
      expect((await page.request.get(`${pages.url}${path}`, { headers: { 'If-None-Match': etag } })).status()).toBe(304);
    }
    // A signed-in person who is not an admin gets "Admins only".
    const userContext = await person();
    const user = await userContext.newPage();
    await signInAs(user, who('email'), '/admin');
    await user.getByRole('heading', { name: 'Admins only' }).waitFor();
    expect((await user.request.get(`${pages.url}/admin`)).status()).toBe(403);
    expect(await user.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(context.violations).toEqual([]);
    expect(userContext.violations).toEqual([]);
    await context.close();
    await userContext.close();
  });

  it('every page of an admin mounts its components: no CSP violation, 0 serious/critical axe problems, screenshots', { timeout: 300_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInAs(page, who('admin'));
    const settled = async (tag: string) => {
      await page.locator(tag).first().waitFor({ state: 'attached' });
      await expect.poll(async () => page.evaluate((t) => customElements.get(t) !== undefined, tag), { timeout: 30_000 }).toBe(true);
      await expect.poll(async () => page.getByText(/^Loading/).count(), { timeout: 30_000 }).toBe(0);
    };
    const routes: Array<[string, string, string]> = [
      ['/dashboard', 'odoo-sync-health', 'dashboard'],
      ['/profile', 'odoo-sync-profile', 'profile'],
      ['/records/accounts', 'odoo-sync-records', 'records'],
      ['/timeline', 'odoo-sync-timeline', 'timeline'],
      ['/admin/people', 'odoo-sync-admin-people', 'admin-people'],
      ['/admin/keys', 'odoo-sync-admin-keys', 'admin-keys'],
      ['/admin/sync', 'odoo-sync-admin-sync', 'admin-sync'],
    ];
    for (const [path, tag, name] of routes) {
      await page.goto(`${pages.url}${path}`);
      expect(new URL(page.url()).pathname).toBe(path);
      await settled(tag);
      await checkAndShoot(page, name);
    }
    // Records: archived and deleted ones only on request.
    await page.goto(`${pages.url}/records/contacts`);
    await settled('odoo-sync-records');
    await page.getByLabel('Show archived').check();
    await settled('odoo-sync-records');
    expect(context.violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('profile: the person linked by an alias sees how; "Link to Odoo" for someone not in Odoo says why; an admin runs the sync from the dashboard', { timeout: 180_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    await signInAs(page, who('alias'), '/profile');
    await expect.poll(() => page.getByText(/^Loading/).count(), { timeout: 30_000 }).toBe(0);
    await page.locator('odoo-sync-profile dl.facts').last().waitFor();
    expect(await page.locator('odoo-sync-profile dl.facts').last().textContent()).toMatch(/e-mail/i);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin\?signedOut=1/);

    await signInAs(page, who('newcomer'), '/profile');
    await page.getByRole('button', { name: 'Link to Odoo' }).click();
    await page.locator('odoo-sync-profile #relink-result').waitFor();
    expect(await page.locator('odoo-sync-profile #relink-result').textContent()).toMatch(/\S/);
    expect(await axeProblems(page)).toEqual([]);
    expect(context.violations).toEqual([]);
    await context.close();

    const adminContext = await person();
    const admin = await adminContext.newPage();
    await signInAs(admin, who('admin'));
    await admin.locator('odoo-sync-health button.run').click();
    await expect.poll(() => admin.locator('odoo-sync-health .run-message').textContent(), { timeout: 30_000 }).toBe('Sync started.');
    expect(adminContext.violations).toEqual([]);
    await adminContext.close();
  });
});
