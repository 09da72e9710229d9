/**
 * <odoo-sync-health> in Chromium against the real server, odoo-sim and a SQLite file.
 */
import { expect, it } from 'vitest';
import { useBrowserTests } from './support/browser.js';
import { syncNow } from './support/stack.js';

const tests = useBrowserTests();

const widget = 'odoo-sync-health';

it('tells a user how fresh the data is, keeps "3 minutes ago" current, and turns stale with words and colour', async () => {
  const stack = await tests.stack();
  expect(await syncNow(stack)).toBe('success');
  const status = (await (await fetch(`${stack.url}/api/sync/status`, { headers: { Authorization: `Bearer ${stack.userKey}` } })).json()) as {
    lastSuccessAt: string;
    employeesSynced: number;
    odooUsersSynced: number;
    entities: { entity: string; active: number; archived: number; deleted: number }[];
  };
  const { page, errors, axe } = await tests.open(stack, {
    apiKey: stack.userKey,
    body: `<${widget} poll-seconds="0"></${widget}>`,
    before: (p) => p.clock.install(),
  });
  const last = page.locator(`${widget} .last`);
  await expect.poll(() => last.textContent(), { timeout: 20_000 }).toMatch(/Last synced (now|\d+ seconds? ago)/);
  const state = page.locator(`${widget} .state`);
  expect(await state.textContent()).toBe('Healthy');
  expect(await state.getAttribute('role')).toBe('status');
  const healthyColour = await state.evaluate((el) => getComputedStyle(el).color);
  expect(healthyColour).toBe('rgb(26, 127, 55)'); // the theme's --odoo-sync-ok: styles apply under style-src 'self'

  // The exact time, in the viewer's time zone, on hover.
  const time = page.locator(`${widget} .last time`);
  expect(await time.getAttribute('datetime')).toBe(status.lastSuccessAt);
  const exact = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'long', timeZone: 'Europe/Brussels' }).format(new Date(status.lastSuccessAt));
  expect(await time.getAttribute('title')).toBe(exact);

  // Counts the status gives.
  expect(await page.locator(`${widget} .employees strong`).textContent()).toBe(String(status.employeesSynced));
  expect(await page.locator(`${widget} .odoo-users strong`).textContent()).toBe(String(status.odooUsersSynced));
  expect(status.employeesSynced).toBeGreaterThan(0);
  for (const e of status.entities) {
    const cells = await page.locator(`${widget} tr[data-entity="${e.entity}"] td.num`).allTextContents();
    expect(cells, e.entity).toEqual([String(e.active), String(e.archived), String(e.deleted)]);
  }
  // A user is no admin: no run button, no run history (the logs are the admins').
  expect(await page.locator(`${widget} button.run`).count()).toBe(0);
  expect(await page.locator(`${widget} svg.history`).count()).toBe(0);

  // Time passes without a reload: the relative time follows.
  await page.clock.fastForward('03:00');
  await expect.poll(() => last.textContent(), { timeout: 20_000 }).toBe('Last synced 3 minutes ago');
  await page.clock.fastForward('40:00');
  await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('Stale');
  expect(await last.textContent()).toBe('Last synced 43 minutes ago');
  expect(await page.locator(`${widget} .reason`).textContent()).toContain('No successful sync for more than 43 minutes');
  expect(await state.evaluate((el) => getComputedStyle(el).color)).not.toBe(healthyColour);

  expect(await axe()).toEqual([]);
  expect(errors).toEqual([]);
  // The page really is under style-src 'self': an inline <style> is refused, the elements' styles were not.
  const inline = await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = 'body { color: rgb(1, 2, 3); }';
    document.head.append(style);
    return getComputedStyle(document.body).color;
  });
  expect(inline).not.toBe('rgb(1, 2, 3)');
  await page.close();
});

it('lets an admin run a sync from the keyboard, then shows the runs in a chart', async () => {
  const stack = await tests.stack();
  expect(await syncNow(stack)).toBe('success');
  const { page, errors, axe } = await tests.open(stack, {
    apiKey: stack.adminKey,
    csrfToken: 'page-token-1',
    body: `<${widget}></${widget}>`,
  });
  const csrfHeaders: (string | undefined)[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') csrfHeaders.push(r.headers()['x-csrf-token']);
  });
  const button = page.locator(`${widget} button.run`);
  await button.waitFor({ timeout: 20_000 });
  await expect.poll(() => page.locator(`${widget} svg.history`).getAttribute('aria-label'), { timeout: 20_000 }).toBe('Last run: 1 succeeded.');

  const started = page.evaluate(
    () => new Promise<string>((resolve) => document.addEventListener('odoo-sync-run-started', (e) => resolve((e as CustomEvent<{ runId: string }>).detail.runId), { once: true })),
  );
  // Keyboard only: Tab reaches the button, Enter presses it.
  await page.locator('body').click();
  for (let i = 0; i < 10 && !(await button.evaluate((el) => el.matches(':focus'))); i++) await page.keyboard.press('Tab');
  expect(await button.evaluate((el) => el.matches(':focus'))).toBe(true);
  await page.keyboard.press('Enter');
  const runId = await started;
  expect(runId).not.toBe('');
  expect(csrfHeaders).toEqual(['page-token-1']);
  await expect.poll(() => page.locator(`${widget} .run-message`).textContent(), { timeout: 20_000 }).toBe('Sync started.');
  await expect.poll(() => page.locator(`${widget} svg.history`).getAttribute('aria-label'), { timeout: 60_000 }).toBe('Last 2 runs: 2 succeeded.');
  expect(await page.locator(`${widget} svg.history .bar.success`).count()).toBe(2);
  expect(await page.locator(`${widget} svg.history [data-run="${runId}"] title`).textContent()).toMatch(/succeeded in \d+/);

  expect(await axe()).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

it('says in words that the sync is failing, with the error and what to do', async () => {
  const stack = await tests.stack();
  stack.sim.faults.loginCooldown(true);
  expect(await syncNow(stack)).toBe('failed');
  const { page, errors, axe } = await tests.open(stack, {
    apiKey: stack.userKey,
    body: `<${widget} id="main"></${widget}><${widget} id="moved" base-url="/nowhere" poll-seconds="0"></${widget}>`,
  });
  const state = page.locator(`#main .state`);
  await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('Failing');
  // Pointed at the wrong place, it says so; pointed at the server later, it reads it.
  const moved = page.locator('#moved');
  await expect.poll(() => moved.locator('[role="alert"]').textContent(), { timeout: 20_000 }).toContain('The sync status could not be read.');
  await moved.evaluate((el) => el.setAttribute('base-url', ''));
  await expect.poll(() => moved.locator('.state').textContent(), { timeout: 20_000 }).toBe('Failing');
  expect(await state.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(207, 34, 46)');
  const error = page.locator(`#main .last-error`);
  expect(await error.getAttribute('data-code')).toBe('odoo_auth_failed');
  expect(await error.textContent()).toContain('Odoo refused the login');
  expect(await error.locator('.hint').textContent()).toContain('Check the Odoo database name, login and API key');
  expect(await page.locator(`#main .reason`).textContent()).toBe('The last run failed.');
  expect(await page.locator(`#main .last`).textContent()).toBe('Not synced yet');
  expect(await page.locator(`#main tr[data-entity="account"] td.status-failed`).count()).toBe(1);
  expect(await axe()).toEqual([]);
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  await page.close();
});
