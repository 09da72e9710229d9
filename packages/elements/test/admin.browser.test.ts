/**
 * The admin components in Chromium against the real server, odoo-sim and a SQLite file:
 * <odoo-sync-admin-people> (approve, role, link override), <odoo-sync-admin-keys> (create,
 * revoke) and <odoo-sync-admin-sync> (interval, logs).
 */
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowserTests } from './support/browser.js';
import { addPerson, api, employees, focusedIn } from './support/people.js';
import { syncNow, type Stack } from './support/stack.js';

const tests = useBrowserTests();

async function synced(): Promise<Stack> {
  const s = await tests.stack();
  expect(await syncNow(s)).toBe('success');
  return s;
}

/** Presses a button from the keyboard. */
async function press(page: Page, button: Locator): Promise<void> {
  await button.focus();
  await page.keyboard.press('Enter');
}

const people = 'odoo-sync-admin-people';

function card(page: Page, userId: string): Locator {
  return page.locator(`${people} li[data-user-id="${userId}"]`);
}

it('lists people waiting for approval first; approving links them by e-mail; roles change; the last admin is refused in words', async () => {
  const s = await synced();
  const odoo = (await employees(s)).find((e) => e.data.userId !== null && e.data.workEmail !== null)!;
  const waiting = await addPerson(s, { email: odoo.data.workEmail!, name: 'Waiting Person', status: 'pending' });
  const { page, errors, axe } = await tests.open(s, { apiKey: s.adminKey, body: `<${people}></${people}>` });
  await card(page, waiting).waitFor({ timeout: 20_000 });
  expect(await page.locator(`${people} ul.cards > li`).first().getAttribute('data-user-id')).toBe(waiting);
  expect(await card(page, waiting).locator('.badge').first().textContent()).toBe('Waiting for approval');
  expect(await axe()).toEqual([]);

  await press(page, card(page, waiting).getByRole('button', { name: 'Approve' }));
  await expect.poll(() => card(page, waiting).locator('.badge').first().textContent(), { timeout: 20_000 }).toBe('Approved');
  const status = page.locator(`${people} [role=status]`).first();
  await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('Waiting Person is approved. Linked to Odoo.');
  await expect.poll(() => focusedIn(page, people), { timeout: 20_000 }).toBe(`person-${waiting}-name`);
  const approved = (await api(s, s.adminKey, 'GET', '/api/admin/users?status=approved&limit=100')).json.items.find((u: { id: string }) => u.id === waiting);
  expect(approved.odooLink).toMatchObject({ employeeId: odoo.odooId, odooUserId: odoo.data.userId!.id, strategy: 'email' });
  await expect.poll(() => card(page, waiting).textContent(), { timeout: 20_000 }).toContain(`employee ${odoo.data.name} (#${odoo.odooId})`);
  expect(await card(page, waiting).textContent()).toContain('Matched by e-mail address.');

  await press(page, card(page, waiting).getByRole('button', { name: 'Make admin' }));
  await expect.poll(() => card(page, waiting).locator('.badge').nth(1).textContent(), { timeout: 20_000 }).toBe('Admin');
  await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('Waiting Person is now an admin.');
  await press(page, card(page, waiting).getByRole('button', { name: 'Make user' }));
  await expect.poll(() => card(page, waiting).locator('.badge').nth(1).textContent(), { timeout: 20_000 }).toBe('User');

  // The bootstrap admin is the last admin now: the server refuses, the page says why and what to do.
  const admin = (await api(s, s.adminKey, 'GET', '/api/auth/me')).json.user.id as string;
  await press(page, card(page, admin).getByRole('button', { name: 'Make user' }));
  const alert = card(page, admin).locator('[role=alert]');
  await alert.waitFor({ timeout: 20_000 });
  const refused = await api(s, s.adminKey, 'PUT', `/api/admin/users/${admin}/role`, { role: 'user' });
  expect(refused.json.error.code).toBe('conflict');
  expect(await alert.textContent()).toContain(refused.json.error.message);
  expect(await alert.locator('.hint').textContent()).toBe(refused.json.error.details.hint);
  expect(await card(page, admin).locator('.badge').nth(1).textContent()).toBe('Admin');
  expect(await axe()).toEqual([]);
  expect(errors).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
  await page.close();
});

it('overrides an Odoo link by hand from a candidate search, marks "not in Odoo", and removes the link', async () => {
  const s = await synced();
  const person = await addPerson(s, { email: 'pat@elsewhere.test', name: 'Pat Doe' });
  const target = (await employees(s)).find((e) => e.data.userId !== null)!;
  const { page, errors, axe } = await tests.open(s, { apiKey: s.adminKey, body: `<${people}></${people}>` });
  const edit = card(page, person).getByRole('button', { name: 'Change Odoo link' });
  await edit.waitFor({ timeout: 20_000 });
  expect(await card(page, person).textContent()).toContain('Not linked to Odoo.');

  await press(page, edit);
  expect(await edit.getAttribute('aria-expanded')).toBe('true');
  await expect.poll(() => focusedIn(page, people), { timeout: 20_000 }).toBe(`person-${person}-q`);
  await page.keyboard.type(target.data.name);
  await page.keyboard.press('Enter');
  const found = card(page, person).getByRole('list', { name: 'Odoo people found' });
  await found.waitFor({ timeout: 20_000 });
  const candidates = (await api(s, s.adminKey, 'GET', `/api/admin/odoo-candidates?q=${encodeURIComponent(target.data.name)}&limit=10`)).json.items as { name: string; odooUserId: number | null; employeeId: number | null }[];
  expect(await found.getByRole('listitem').count()).toBe(candidates.length);
  expect(await axe()).toEqual([]);
  const chosen = candidates[0]!;
  await press(page, found.getByRole('button', { name: `Link Pat Doe to ${chosen.name}` }).first());

  await expect.poll(() => card(page, person).textContent(), { timeout: 20_000 }).toContain('Linked by hand by an admin.');
  await expect.poll(() => page.locator(`${people} [role=status]`).first().textContent(), { timeout: 20_000 }).toContain(`Pat Doe is linked to ${chosen.name} in Odoo.`);
  await expect.poll(() => focusedIn(page, people), { timeout: 20_000 }).toBe(`person-${person}-name`);
  expect(await edit.getAttribute('aria-expanded')).toBe('false');
  const me = async () => (await api(s, s.adminKey, 'GET', '/api/admin/users?limit=100')).json.items.find((u: { id: string }) => u.id === person).odooLink;
  expect(await me()).toMatchObject({ odooUserId: chosen.odooUserId, employeeId: chosen.employeeId, strategy: 'manual' });

  await press(page, edit);
  await press(page, card(page, person).getByRole('button', { name: 'Not in Odoo' }));
  await expect.poll(() => card(page, person).textContent(), { timeout: 20_000 }).toContain('Not in Odoo (set by an admin');
  expect(await me()).toMatchObject({ odooUserId: null, employeeId: null, strategy: 'manual' });

  await press(page, edit);
  expect(await card(page, person).getByRole('button', { name: 'Not in Odoo' }).count()).toBe(0);
  await press(page, card(page, person).getByRole('button', { name: 'Remove link' }));
  await expect.poll(() => card(page, person).textContent(), { timeout: 20_000 }).toContain('Not linked to Odoo.');
  expect(await me()).toBeNull();
  await expect.poll(() => focusedIn(page, people), { timeout: 20_000 }).toBe(`person-${person}-name`);
  expect(errors).toEqual([]);
  await page.close();
});

const keys = 'odoo-sync-admin-keys';

function keyCard(page: Page, id: string): Locator {
  return page.locator(`${keys} li[data-key-id="${id}"]`);
}

it('revokes a key only after confirming: it stops working at once', async () => {
  const s = await synced();
  const listed = (await api(s, s.adminKey, 'GET', '/api/admin/api-keys')).json.items as { id: string; email: string }[];
  const userKey = listed.find((k) => k.email === 'ana@example.com')!;
  const { page, errors, axe } = await tests.open(s, { apiKey: s.adminKey, body: `<${keys}></${keys}>` });
  const revoke = keyCard(page, userKey.id).getByRole('button', { name: /^Revoke key/ });
  await revoke.waitFor({ timeout: 20_000 });
  expect(await axe()).toEqual([]);

  // Asking is not doing: Cancel leaves the key working, and the focus back on its button.
  await press(page, revoke);
  await expect.poll(() => focusedIn(page, keys), { timeout: 20_000 }).toBe(`key-${userKey.id}-confirm`);
  await press(page, keyCard(page, userKey.id).getByRole('button', { name: 'Cancel' }));
  await expect.poll(() => focusedIn(page, keys), { timeout: 20_000 }).toBe(`key-${userKey.id}-revoke`);
  expect((await api(s, s.userKey, 'GET', '/api/auth/me')).status).toBe(200);

  await press(page, revoke);
  expect(await axe()).toEqual([]);
  await page.keyboard.press('Enter'); // the focused "Revoke key" button of the confirmation
  await expect.poll(() => keyCard(page, userKey.id).locator('.badge').textContent(), { timeout: 20_000 }).toBe('Revoked');
  expect(await page.locator(`${keys} [role=status]`).first().textContent()).toContain('is revoked: it no longer works.');
  await expect.poll(() => focusedIn(page, keys), { timeout: 20_000 }).toBe(`key-${userKey.id}-label`);
  expect((await api(s, s.userKey, 'GET', '/api/auth/me')).status).toBe(401);
  expect(await keyCard(page, userKey.id).getByRole('button').count()).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});

it('creates a key for a person: shown once with a copy button and a warning, and it works', async () => {
  const s = await synced();
  await (await tests.context()).grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.url });
  const { page, errors, axe } = await tests.open(s, { apiKey: s.adminKey, body: `<${keys}></${keys}>` });
  const form = page.locator(`${keys} form`);
  await form.waitFor({ timeout: 20_000 });

  // No label: refused on the page, nothing sent.
  await press(page, form.getByRole('button', { name: 'Create key' }));
  expect(await page.locator(`${keys} #key-label-error`).textContent()).toContain('Give the key a label');
  expect(await form.getByLabel('Label').getAttribute('aria-invalid')).toBe('true');
  await expect.poll(() => focusedIn(page, keys), { timeout: 20_000 }).toBe('key-label');

  await form.getByLabel('Owner').selectOption({ label: 'ana <ana@example.com>' });
  await form.getByLabel('Label').fill('reporting script');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/admin/api-keys') && r.request().method() === 'POST');
  await page.keyboard.press('Enter');
  const answer = (await (await created).json()) as { key: string; apiKey: { id: string; label: string } };
  const shown = page.locator(`${keys} #new-key`);
  await shown.waitFor({ timeout: 20_000 });
  expect(await shown.inputValue()).toBe(answer.key);
  await expect.poll(() => focusedIn(page, keys), { timeout: 20_000 }).toBe('new-key');
  expect(await page.locator(`${keys} .notice`).textContent()).toContain('it will not be shown again');
  expect(await keyCard(page, answer.apiKey.id).locator('h4').textContent()).toBe('reporting script');
  const me = await api(s, answer.key, 'GET', '/api/auth/me');
  expect(me.json.user.email).toBe('ana@example.com');

  await press(page, page.getByRole('button', { name: 'Copy key' }));
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 20_000 }).toBe(answer.key);
  expect(await axe()).toEqual([]);

  // Once dismissed, the key is nowhere on the page any more.
  await press(page, page.getByRole('button', { name: 'I have copied it' }));
  expect(await page.locator(`${keys} #new-key`).count()).toBe(0);
  expect(await page.locator(keys).evaluate((el) => el.shadowRoot!.innerHTML)).not.toContain(answer.key);
  expect(errors).toEqual([]);
  await page.close();
});

const sync = 'odoo-sync-admin-sync';

it('refuses an interval outside 5–60 minutes before sending it, and saves a valid one', async () => {
  const s = await synced();
  const { page, errors, axe } = await tests.open(s, { apiKey: s.adminKey, body: `<${sync}></${sync}>` });
  const input = page.getByRole('spinbutton', { name: 'Minutes between runs' });
  await expect.poll(() => input.inputValue(), { timeout: 20_000 }).toBe('15');
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') puts.push(r.postData() ?? '');
  });

  for (const bad of ['61', '4', '7.5']) {
    await input.fill(bad);
    await page.keyboard.press('Enter');
    await expect.poll(() => input.getAttribute('aria-invalid'), { timeout: 20_000 }).toBe('true');
    expect(await page.locator(`${sync} #interval-error`).textContent()).toMatch(/5 to 60/);
    await expect.poll(() => focusedIn(page, sync), { timeout: 20_000 }).toBe('interval');
  }
  expect(puts).toEqual([]);
  expect(await axe()).toEqual([]);

  await input.fill('30');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator(`${sync} [role=status]`).first().textContent(), { timeout: 20_000 }).toBe('Saved: the sync runs every 30 minutes.');
  expect(await input.getAttribute('aria-invalid')).toBe('false');
  expect(puts).toEqual(['{"intervalMinutes":30}']);
  expect((await api(s, s.adminKey, 'GET', '/api/sync/settings')).json).toEqual({ intervalMinutes: 30 });
  expect(errors).toEqual([]);
  await page.close();
});

it('shows the recent runs, failed ones with their error in words, and filters the failures', async () => {
  const s = await synced();
  // Half the contacts vanish from Odoo at once: the mass-deletion guard stops that entity's run.
  const contacts = s.sim.searchRead('res.partner', [['is_company', '=', false]], { fields: ['id'] }).map((r) => r['id']);
  s.sim.unlink('res.partner', contacts.slice(0, Math.ceil(contacts.length / 2)));
  expect(await syncNow(s)).not.toBe('success');
  const logs = (await api(s, s.adminKey, 'GET', '/api/sync/logs?limit=100')).json.items as { id: string; status: string; entity: string; error: { code: string; message: string } | null }[];
  const failed = logs.filter((l) => l.status === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.length).toBeLessThan(logs.length);

  const { page, errors, axe } = await tests.open(s, { apiKey: s.adminKey, body: `<${sync}></${sync}>` });
  const rows = page.locator(`${sync} tbody tr`);
  await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(logs.length);
  const first = failed[0]!;
  const row = page.locator(`${sync} tr[data-log-id="${first.id}"]`);
  expect(await row.locator('td').first().textContent()).toBe({ account: 'Accounts', contact: 'Contacts', opportunity: 'Opportunities', invoice: 'Invoices', employee: 'Employees', odoo_user: 'Odoo users' }[first.entity]);
  expect(await row.locator('.badge').textContent()).toBe('Failed');
  expect(first.error!.code).toBe('mass_deletion_blocked');
  const words = await row.locator('.sync-error').textContent();
  expect(words).toContain('Stopped before deleting many records at once (a safety check).');
  expect(words).toContain(first.error!.message);
  expect(await axe()).toEqual([]);

  await page.getByRole('checkbox', { name: 'Only failures' }).check();
  await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(failed.length);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-log-id')))).toEqual(failed.map((l) => l.id));
  expect(errors).toEqual([]);
  await page.close();
});
