import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { call, startTestServer, syncNow, type TestServer } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: BrowserContext;
let profile: string;
let s: TestServer;

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'odoo-sync-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => {
  await s.close();
});

it('serves a page without data or secrets; shows per-entity status once a key is entered', async () => {
  await syncNow(s);
  const html = await call(`${s.url}/dashboard`);
  expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(html.text).not.toContain('Acme');
  expect(html.text).not.toContain(s.adminKey);

  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${s.url}/`);
  expect(page.url()).toBe(`${s.url}/dashboard`);
  await page.fill('#key', 'osk_wrong');
  await page.click('button[type=submit]');
  await page.locator('#error', { hasText: 'not valid' }).waitFor();
  expect(await page.isVisible('#status')).toBe(false);

  await page.fill('#key', s.userKey);
  await page.click('button[type=submit]');
  await page.waitForSelector('tr[data-entity="contact"]');
  const contactRow = await page.locator('tr[data-entity="contact"] td').allTextContents();
  expect(contactRow[0]).toBe('Contacts');
  expect(contactRow[1]).toBe('2');
  expect(contactRow[5]).toBe('success');
  expect(await page.textContent('#summary')).toContain('employees synced: 2');
  // The key lives in sessionStorage only, and the page itself never holds it.
  expect(await page.evaluate("sessionStorage.getItem('odoo-sync.apiKey')")).toBe(s.userKey);
  expect(await page.evaluate('localStorage.length')).toBe(0);
  expect(await page.content()).not.toContain(s.userKey);

  // A plain user cannot start a run: the page says so.
  await page.click('#run');
  await page.locator('#run-result', { hasText: 'admin' }).waitFor();

  await page.click('#logout');
  expect(await page.evaluate("sessionStorage.getItem('odoo-sync.apiKey')")).toBeNull();
  expect(await page.isVisible('#login')).toBe(true);
  expect(errors).toEqual([]);
  await page.close();
});

it('lets an admin start a run from the page', async () => {
  const page = await browser.newPage();
  await page.goto(`${s.url}/dashboard`);
  await page.fill('#key', s.adminKey);
  await page.click('button[type=submit]');
  await page.waitForSelector('tr[data-entity="contact"]');
  await page.click('#run');
  await page.locator('#run-result', { hasText: /Run .+ started\./ }).waitFor();
  await page.close();
});

it('says when scheduled runs are paused and when an alert could not reach an admin', async () => {
  await syncNow(s);
  const health = (await s.store.getSetting('sync.health')) as Record<string, unknown>;
  await s.store.setSetting('sync.health', {
    ...health,
    pausedAt: '2026-03-02T00:00:00.000Z',
    alertDelivery: { kind: 'sync_failing', at: '2026-03-01T00:00:00.000Z', recipients: null, deliveredTo: ['a@example.com'], undelivered: [{ recipient: 'b@example.com', code: 'notifier_failed', message: 'refused' }] },
  });
  const page = await browser.newPage();
  await page.goto(`${s.url}/dashboard`);
  await page.fill('#key', s.userKey);
  await page.click('button[type=submit]');
  await page.waitForSelector('tr[data-entity="contact"]');
  const summary = await page.textContent('#summary');
  expect(summary).toContain('PAUSED since');
  expect(summary).toContain('alert not delivered to 1 admin(s)');
  await page.close();
});
