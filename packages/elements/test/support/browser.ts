/**
 * Debian's Chromium (playwright-core) for the elements' tests, and a test page on the server's
 * own origin: the page and the bundle are answered by the browser (route), every API request
 * goes over a real socket to the real server. The page is served with a strict CSP (no inline
 * script or style) so the elements must work under it.
 *
 * `useBrowserTests()` wires a test file: one Chromium for the file, a fresh browser context
 * (cookies, permissions, storage) and a fresh server for each test, both closed after it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject, vi } from 'vitest';
import { startStack, type Stack } from './stack.js';

const CHROMIUM = '/usr/bin/chromium';

/** The strict policy the test pages are served with. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Launches headless Chromium (each context gets a fresh in-memory profile). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A context as the tests' reader has it: a desktop window, US English, Brussels time. */
export async function newTestContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Brussels' });
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
  axe: () => Promise<{ id: string; impact: string; help: string; nodes: string[] }[]>;
}

/** Opens `/__elements__/test.html` on the server's origin with the bundle and `body`, in `context`. */
export async function openTestPage(context: BrowserContext, options: TestPageOptions): Promise<OpenedPage> {
  const page = await context.newPage();
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

/** What a browser test file uses; see {@link useBrowserTests}. */
export interface BrowserTests {
  /** Starts odoo-sim and the server (no run yet) for the current test; closed after it. */
  stack(env?: Record<string, string>): Promise<Stack>;
  /** The current test's browser context (own cookies, permissions and storage); closed after it. */
  context(): Promise<BrowserContext>;
  /** Opens the test page on `stack`'s origin in the current test's context. */
  open(stack: Stack, options: Omit<TestPageOptions, 'origin' | 'bundle'>): Promise<OpenedPage>;
}

/**
 * Wires a browser test file: Chromium launched once for the file, the bundle the project's
 * global setup built, and per test a browser context and a stack that are closed after it
 * (the context first, so the server has no browser connection left to wait for). Tests get
 * 180 s: a server, odoo-sim and Chromium on a busy machine; never timed assertions.
 *
 * @example
 * const tests = useBrowserTests();
 * it('…', async () => {
 *   const s = await tests.stack();
 *   const { page } = await tests.open(s, { apiKey: s.userKey, body: '<odoo-sync-health></odoo-sync-health>' });
 * });
 */
export function useBrowserTests(): BrowserTests {
  vi.setConfig({ testTimeout: 180_000 });
  const bundle = inject('elementsBundle');
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const stacks: Stack[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    for (const s of stacks.splice(0)) await s.close();
  });

  const tests: BrowserTests = {
    async stack(env = {}) {
      const s = await startStack(env);
      stacks.push(s);
      return s;
    },
    async context() {
      if (!browser) throw new Error('useBrowserTests: the browser is not launched (call it at the top of the test file)');
      context ??= await newTestContext(browser);
      return context;
    },
    async open(stack, options) {
      return openTestPage(await tests.context(), { ...options, origin: stack.url, bundle });
    },
  };
  return tests;
}
