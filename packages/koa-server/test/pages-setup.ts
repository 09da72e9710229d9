/**
 * The setup the page tests share (pages.test.ts, pages-linking.test.ts): one real server for the
 * file over a SQLite file, with the Odoo simulator and the demo's Microsoft 365 stand-in
 * (FakeEntraId with its person picker), synced once, its demo people in the store; one Debian
 * Chromium (playwright-core) for the file, and a browser context per person that records the
 * CSP violations of every page it shows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startDemoSignIn, type DemoSignIn } from '../src/cli/demo-sign-in.js';
import type { DemoPerson } from '../src/cli/demo-people.js';
import { loadConfig } from '../src/runtime/config.js';
import { startServer, type RunningServer } from '../src/runtime/composition.js';
import { createLogger } from '../src/runtime/logger.js';

const CHROMIUM = '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The desktop window every context opens with. */
export const DESKTOP = { width: 1400, height: 900 } as const;

/** A browser context (one person's cookies) with the CSP violations its pages reported. */
export type PersonContext = BrowserContext & { violations: string[] };

/** The kinds of demo person the page tests sign in as. */
export type DemoKind = 'admin' | 'pending' | 'alias' | 'newcomer' | 'email';

/** What a page test file uses; see {@link usePagesServer}. Valid inside tests and later hooks. */
export interface PagesServer {
  /** The server's origin, `http://127.0.0.1:port`. */
  readonly url: string;
  readonly running: RunningServer;
  readonly signIn: DemoSignIn;
  /** The demo people, in the store and known to the Microsoft 365 stand-in. */
  readonly people: DemoPerson[];
  /** A temporary folder of the file's, removed after it (the database lives there). */
  readonly dir: string;
  /** A new browser context for one person; the test closes it. */
  readonly person: () => Promise<PersonContext>;
  /** The demo person of a kind (the first one that fits). */
  readonly who: (kind: DemoKind) => DemoPerson;
  /** Signs in through the sign-in page and the stand-in's person picker, starting at `start` (default `/dashboard`). */
  readonly signInAs: (page: Page, person: { upn: string }, start?: string) => Promise<void>;
  /** axe-core in the page (evaluated, not a script tag: the CSP allows no inline script): serious and critical violations. */
  readonly axeProblems: (page: Page) => Promise<string[]>;
}

/** A string as a literal part of a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Starts the server and Chromium before the file's tests (`name` names the temporary folder and
 * the database; `bootstrapAdminKey` is the API key of the bootstrap admin) and closes them after.
 *
 * @example
 * const pages = usePagesServer('pages', 'pages-test-bootstrap-admin-key-0123');
 * it('…', async () => {
 *   const context = await pages.person();
 *   const page = await context.newPage();
 *   await pages.signInAs(page, pages.who('admin'));
 * });
 */
export function usePagesServer(name: string, bootstrapAdminKey: string): PagesServer {
  let dir: string | undefined;
  let browser: Browser | undefined;
  let signIn: DemoSignIn | undefined;
  let running: RunningServer | undefined;
  let people: DemoPerson[] | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('usePagesServer: the server is not started yet (use it inside tests)');
    return value;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `odoo-sync-${name}-`));
    const cfg = loadConfig({ PORT: '0', ODOO_SYNC_DATA_DIR: dir, ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: bootstrapAdminKey }, { cwd: dir, envFile: false });
    signIn = (await startDemoSignIn({ ...cfg, store: { kind: 'sqlite', path: join(dir, `${name}.db`) } }))!;
    // Chromium starts while the server syncs.
    const launched = chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      running = await startServer(signIn.config, {
        ...signIn.options,
        logger: createLogger({ level: 'silent' }),
        processMetrics: false,
        simulator: { seed: 1, counts: { partners: 40, opportunities: 20, invoices: 20, employees: 8, users: 6 } },
      });
      await running.scheduler.runNow(undefined, { mode: 'full' });
      people = await signIn.addPeople(running.store);
    } finally {
      browser = await launched;
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await signIn?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pages: PagesServer = {
    get url() {
      return ready(running).url;
    },
    get running() {
      return ready(running);
    },
    get signIn() {
      return ready(signIn);
    },
    get people() {
      return ready(people);
    },
    get dir() {
      return ready(dir);
    },
    person: async () => {
      const context = (await ready(browser).newContext({ viewport: DESKTOP, acceptDownloads: true })) as PersonContext;
      context.violations = [];
      await context.exposeFunction('reportCspViolation', (text: string) => context.violations.push(text));
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} on ${location.pathname}`);
        });
      });
      return context;
    },
    who: (kind) => {
      const all = ready(people);
      const found =
        kind === 'admin' ? all.find((p) => p.role === 'admin')
        : kind === 'pending' ? all.find((p) => p.status === 'pending')
        : kind === 'alias' ? all.find((p) => p.otherMails.length > 0)
        : kind === 'newcomer' ? all.find((p) => p.name === 'Nora Newcomer')
        : all.find((p) => p.role === 'user' && p.status === 'approved' && p.otherMails.length === 0 && p.name !== 'Nora Newcomer');
      if (!found) throw new Error(`no demo person of kind ${kind}`);
      return found;
    },
    signInAs: async (page, person, start = '/dashboard') => {
      const url = pages.url;
      await page.goto(`${url}${start}`);
      await page.waitForURL(/\/signin\?/);
      await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
      await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
      await page.getByRole('link', { name: new RegExp(escapeRegExp(person.upn)) }).click();
      await page.waitForURL((u) => u.origin === url && u.pathname !== '/api/auth/callback');
    },
    axeProblems: async (page) => {
      await page.evaluate(AXE_SOURCE);
      const results = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }> } }).axe;
        const run = await axe.run(document, { resultTypes: ['violations'] });
        return run.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3) }));
      });
      return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) at ${v.targets.join(', ')}`);
    },
  };
  return pages;
}
