/**
 * <odoo-sync-records> in Chromium against the real server, odoo-sim and a SQLite file: archived
 * and deleted records hidden by default and labelled on request, search, paging.
 */
import { expect, it } from 'vitest';
import { useBrowserTests } from './support/browser.js';
import { api, focusedIn } from './support/people.js';
import { syncNow } from './support/stack.js';

const tests = useBrowserTests();

const tag = 'odoo-sync-records';

/** Odoo ids of the rows the table shows. */
async function shownIds(page: import('playwright-core').Page): Promise<number[]> {
  return (await page.locator(`${tag} tbody tr`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-odoo-id')))).map(Number);
}

it('hides archived and deleted contacts by default and shows them labelled when "Show archived" is on', async () => {
  const s = await tests.stack();
  expect(await syncNow(s)).toBe('success');
  const contacts = (await api<{ items: { odooId: number }[] }>(s, s.userKey, 'GET', '/api/contacts?limit=200')).json.items.map((c) => c.odooId);
  const [archived, deleted] = contacts.slice(-2) as [number, number];
  s.sim.write('res.partner', [archived], { active: false });
  s.sim.unlink('res.partner', [deleted]);
  expect(await syncNow(s)).toBe('success');

  const { page, errors, axe } = await tests.open(s, { apiKey: s.userKey, body: `<${tag} entity="contacts" page-size="200"></${tag}>` });
  await page.locator(`${tag} tbody tr`).first().waitFor({ timeout: 20_000 });
  const hidden = await shownIds(page);
  expect(hidden).toEqual(contacts.filter((id) => id !== archived && id !== deleted));
  expect(await page.locator(`${tag} .badge`).count()).toBe(0);

  // The switch from the keyboard.
  const toggle = page.getByRole('checkbox', { name: 'Show archived' });
  await toggle.focus();
  await page.keyboard.press('Space');
  // Everything the API holds (odoo-sim archives a few contacts of its own), each inactive one labelled.
  const everything = (await api<{ items: { odooId: number; inactiveReason: string | null }[] }>(s, s.userKey, 'GET', '/api/contacts?limit=200&include=inactive')).json.items;
  await expect.poll(() => shownIds(page), { timeout: 20_000 }).toEqual(everything.map((c) => c.odooId));
  expect(await page.locator(`${tag} tr[data-odoo-id="${archived}"] .badge`).textContent()).toBe('Archived');
  expect(await page.locator(`${tag} tr[data-odoo-id="${deleted}"] .badge`).textContent()).toBe('Deleted in Odoo');
  const labels = await page.locator(`${tag} .badge`).allTextContents();
  expect(labels.sort()).toEqual(everything.filter((c) => c.inactiveReason !== null).map((c) => (c.inactiveReason === 'deleted' ? 'Deleted in Odoo' : 'Archived')).sort());
  expect(await page.locator(`${tag} caption`).textContent()).toContain('archived and deleted included');
  expect(await axe()).toEqual([]);

  await page.keyboard.press('Space');
  await expect.poll(() => shownIds(page), { timeout: 20_000 }).toEqual(hidden);
  expect(errors).toEqual([]);
  await page.close();
});

it('searches and turns pages from the keyboard', async () => {
  const s = await tests.stack();
  expect(await syncNow(s)).toBe('success');
  const all = (await api<{ items: { odooId: number; data: { name: string } }[] }>(s, s.userKey, 'GET', '/api/accounts?limit=200')).json.items;
  expect(all.length).toBeGreaterThan(2);

  const { page, errors, axe } = await tests.open(s, { apiKey: s.userKey, body: `<${tag} entity="accounts" page-size="2"></${tag}>` });
  await page.locator(`${tag} tbody tr`).first().waitFor({ timeout: 20_000 });
  expect(await shownIds(page)).toEqual(all.slice(0, 2).map((a) => a.odooId));
  expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);

  const next = page.getByRole('button', { name: 'Next page' });
  await next.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => shownIds(page), { timeout: 20_000 }).toEqual(all.slice(2, 4).map((a) => a.odooId));
  await expect.poll(() => focusedIn(page, tag), { timeout: 20_000 }).toBe('records-caption');
  expect(await page.locator(`${tag} caption`).textContent()).toContain('page 2');
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect.poll(() => shownIds(page), { timeout: 20_000 }).toEqual(all.slice(0, 2).map((a) => a.odooId));

  // Search by the last account's name: Enter in the box submits it; paging starts over.
  const wanted = all[all.length - 1]!;
  await page.getByRole('searchbox', { name: 'Search accounts' }).fill(wanted.data.name);
  await page.keyboard.press('Enter');
  await expect.poll(() => shownIds(page), { timeout: 20_000 }).toEqual([wanted.odooId]);
  expect(await page.locator(`${tag} tbody th`).textContent()).toContain(wanted.data.name);

  await page.getByRole('searchbox', { name: 'Search accounts' }).fill('no account is called this');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator(`${tag} caption`).textContent(), { timeout: 20_000 }).toBe('No accounts match “no account is called this”.');
  expect(await axe()).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

it('says so when the entity is not a kind of record, without calling the server', async () => {
  const s = await tests.stack();
  const { page, errors } = await tests.open(s, { apiKey: s.userKey, body: `<${tag} entity="../admin/users"></${tag}>` });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.locator(`${tag} [role=alert]`).waitFor({ timeout: 20_000 });
  expect(await page.locator(`${tag} [role=alert]`).textContent()).toContain('is not a kind of record');
  expect(requests.filter((u) => u.includes('/api/'))).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});
