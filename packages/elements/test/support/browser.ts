/**
 * Debian's Chromium (playwright-core) for the elements' tests, and a test page on the server's
 * own origin: the page and the bundle are answered by the browser (route), every API request
 * goes over a real socket to the real server. The page is served with a strict CSP (no inline
 * script or style) so the elements must work under it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** The strict policy the test pages are served with. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A browser with a fresh profile. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium with a temporary profile. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'odoo-sync-elements-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    locale: 'en-US',
    timezoneId: 'Europe/Brussels',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What a test page holds and how it is served. */
export interface TestPageOptions {
  /** The server's origin. */
  origin: string;
  /** The bundle file to load. */
  bundle: string;
  /** HTML inside `<main>`. */
  body: string;
  /** Sent as `Authorization: Bearer …` with every request (the elements use the page's credentials). */
  apiKey?: string;
  /** A `<meta name="odoo-sync-csrf">` token. */
  csrfToken?: string;
  /** Runs before the page loads (e.g. `page.clock.install()`). */
  before?: (page: Page) => Promise<void>;
}

/** An open test page and what it reported. */
export interface OpenedPage {
  page: Page;
  /** Uncaught errors and console errors (CSP violations show up here). */
  errors: string[];
  /** Runs axe-core on the page; returns the serious and critical violations. */
  axe(): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]>;
}

/** Opens `/__elements__/test.html` on the server's origin with the bundle and `body`. */
export async function openTestPage(browser: TestBrowser, options: TestPageOptions): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  if (options.apiKey) await page.setExtraHTTPHeaders({ Authorization: `Bearer ${options.apiKey}` });
  const bundle = readFileSync(options.bundle, 'utf8');
  await page.route(`${options.origin}/__elements__/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/__elements__/odoo-sync-elements.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: bundle });
    if (path === '/__elements__/axe.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: axeSource });
    if (path === '/__elements__/test.html') {
      const csrf = options.csrfToken ? `<meta name="odoo-sync-csrf" content="${options.csrfToken}">` : '';
      return route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'Content-Security-Policy': STRICT_CSP },
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>odoo-sync elements</title>${csrf}<script type="module" src="/__elements__/odoo-sync-elements.js"></script></head><body><main>${options.body}</main></body></html>`,
      });
    }
    return route.fulfill({ status: 404, body: 'not found' });
  });
  if (options.before) await options.before(page);
  await page.goto(`${options.origin}/__elements__/test.html`);
  return {
    page,
    errors,
    async axe() {
      await page.addScriptTag({ url: '/__elements__/axe.js' });
      const result = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown }[] }[] }> } }).axe;
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
      });
      return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    },
  };
}
