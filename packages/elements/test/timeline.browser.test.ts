/**
 * <odoo-sync-timeline> in Chromium against the real server over a SQLite file, with activities
 * appended through the store's activity port.
 */
import type { Activity } from '@odoo-sync/core';
import { expect, it } from 'vitest';
import { useBrowserTests } from './support/browser.js';
import type { Stack } from './support/stack.js';

const tests = useBrowserTests();

const tag = 'odoo-sync-timeline';
const PEOPLE = [
  { id: 'u-ana', name: 'Ana Souza' },
  { id: 'u-bob', name: 'Bob Stone' },
];
const TYPES = [
  { type: 'call', source: 'odoo' as const },
  { type: 'meeting', source: 'odoo' as const },
  { type: 'opportunity_won', source: 'app' as const },
  { type: 'user_signed_in', source: 'app' as const },
];

/** 90 activities, one an hour back from 2026-03-02 12:00 UTC, newest first. */
function seedActivities(): Activity[] {
  const base = Date.parse('2026-03-02T12:00:00.000Z');
  return Array.from({ length: 90 }, (_, i) => {
    const kind = TYPES[i % TYPES.length]!;
    const person = PEOPLE[i % 3 === 0 ? 1 : 0]!;
    return {
      id: `act-${String(1000 - i)}`,
      activityType: kind.type,
      title: `${kind.type.replace(/_/g, ' ')} number ${i}`,
      entityType: kind.type === 'user_signed_in' ? 'user' : 'opportunity',
      entityId: kind.type === 'user_signed_in' ? person.id : String(100 + (i % 5)),
      userId: person.id,
      userName: person.name,
      source: kind.source,
      metadata: {},
      timestamp: new Date(base - i * 3600_000).toISOString(),
    };
  });
}

async function seeded(): Promise<{ stack: Stack; activities: Activity[] }> {
  const stack = await tests.stack();
  const activities = seedActivities();
  await stack.server.store.appendActivities(activities);
  return { stack, activities };
}

it('shows the newest first with a source badge, and loads more as the reader scrolls (or presses "Load more")', async () => {
  const { stack, activities } = await seeded();
  const { page, errors, axe } = await tests.open(stack, {
    apiKey: stack.adminKey,
    body: `<${tag} page-size="20"></${tag}>`,
  });
  const items = page.locator(`${tag} li.activity`);
  await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(20);
  const mine = (await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-id')))).filter((id) => id !== null);
  expect(mine).toEqual(activities.slice(0, 20).map((a) => a.id));
  expect(await items.first().locator('.title').textContent()).toBe(activities[0]!.title);
  expect(await items.first().locator('.badge').textContent()).toBe('Odoo');
  expect(await items.nth(2).locator('.badge').textContent()).toBe('App');
  expect(await items.nth(2).locator('.type').textContent()).toBe('Opportunity won');
  expect(await items.first().locator('time').getAttribute('datetime')).toBe(activities[0]!.timestamp);
  expect(await items.first().locator('.who').textContent()).toBe('Bob Stone');

  // Scrolling to the end loads the next page (IntersectionObserver)…
  await page.locator(`${tag} .sentinel`).scrollIntoViewIfNeeded();
  await expect.poll(() => items.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(40);
  // …and the button does it without scrolling.
  await page.evaluate(() => window.scrollTo(0, 0));
  const status = page.locator(`${tag} [role="status"]`);
  await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/activities shown, more available/);
  const before = await items.count();
  await page.locator(`${tag} button.load-more`).click();
  // (A page the observer asked for just before the scroll may land too.)
  await expect.poll(() => items.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 20);
  // To the end: no button any more, every activity once, in order.
  for (let i = 0; i < 10 && (await page.locator(`${tag} button.load-more`).count()) > 0; i++) {
    const shown = await items.count();
    await page.locator(`${tag} .sentinel`).scrollIntoViewIfNeeded();
    await expect.poll(() => items.count(), { timeout: 20_000 }).toBeGreaterThan(shown);
  }
  await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(90);
  expect(await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-id')))).toEqual(activities.map((a) => a.id));
  expect(await page.locator(`${tag} button.load-more`).count()).toBe(0);

  expect(await axe()).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

it('filters by attributes and by its form: type, entity, source, person, dates, text; says when nothing matches', async () => {
  const { stack, activities } = await seeded();
  const { page, errors, axe } = await tests.open(stack, {
    apiKey: stack.adminKey,
    body: `<${tag} type="call,meeting" entity-type="opportunity" entity-id="102" source="odoo"></${tag}>`,
  });
  const items = page.locator(`${tag} li.activity`);
  const ids = () => items.evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
  const expected = activities.filter((a) => ['call', 'meeting'].includes(a.activityType) && a.entityId === '102' && a.source === 'odoo').map((a) => a.id);
  expect(expected.length).toBeGreaterThan(3);
  await expect.poll(ids, { timeout: 20_000 }).toEqual(expected);

  // The form: person and a date range, applied.
  await page.locator(`${tag} button[type="button"]`, { hasText: 'Clear' }).click();
  await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(50);
  await page.locator(`${tag} select[name="userId"]`).selectOption({ label: 'Bob Stone' });
  await page.locator(`${tag} input[name="from"]`).fill('2026-03-01');
  await page.locator(`${tag} input[name="to"]`).fill('2026-03-01');
  await page.locator(`${tag} button[type="submit"]`).click();
  const bobOnMarch1 = activities.filter((a) => a.userId === 'u-bob' && a.timestamp.startsWith('2026-03-01')).map((a) => a.id);
  expect(bobOnMarch1.length).toBeGreaterThan(3);
  await expect.poll(ids, { timeout: 20_000 }).toEqual(bobOnMarch1);

  // Type from the form, and title text that nothing has.
  await page.locator(`${tag} select[name="type"]`).selectOption('opportunity_won');
  await page.locator(`${tag} input[name="q"]`).fill('no such title');
  await page.locator(`${tag} button[type="submit"]`).click();
  await expect.poll(() => page.locator(`${tag} .empty`).textContent(), { timeout: 20_000 }).toBe('No activity matches these filters.');
  expect(await items.count()).toBe(0);

  expect(await axe()).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

it('offers admins (only) the CSV of what the filters show, and says when the activities cannot be read', async () => {
  const { stack } = await seeded();
  const { page, errors } = await tests.open(stack, {
    apiKey: stack.adminKey,
    body: `<${tag} source="odoo" q="call"></${tag}><${tag} id="broken" base-url="/nowhere" no-filters></${tag}>`,
  });
  const csv = page.locator(`${tag}:not(#broken) a.csv`);
  await csv.waitFor({ timeout: 20_000 });
  const href = new URL((await csv.getAttribute('href'))!, stack.url);
  expect(href.pathname).toBe('/api/activities/export.csv');
  expect(Object.fromEntries(href.searchParams)).toEqual({ source: 'odoo', q: 'call' });

  // A server that does not answer the API: the error in words and a way to try again.
  const broken = page.locator(`#broken`);
  await expect.poll(() => broken.locator('[role="alert"]').textContent(), { timeout: 20_000 }).toContain('The activities could not be read.');
  expect(await broken.locator('button.retry').isVisible()).toBe(true);
  expect(await broken.locator('form').count()).toBe(0);
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  await page.close();

  // Someone who is not an admin gets no CSV link.
  const asUser = await tests.open(stack, {
    apiKey: stack.userKey,
    body: `<${tag}></${tag}>`,
  });
  await asUser.page.locator(`${tag} form.filters`).waitFor({ timeout: 20_000 });
  // Once it knows who is looking (they appear as "(me)" among the people)…
  await asUser.page.locator(`${tag} select[name="userId"] option`, { hasText: '(me)' }).waitFor({ state: 'attached', timeout: 20_000 });
  expect(await asUser.page.locator(`${tag} a.csv`).count()).toBe(0);
  expect(asUser.errors).toEqual([]);
  await asUser.page.close();
});
