/**
 * <odoo-sync-profile> in Chromium against the real server, odoo-sim and a SQLite file: linking
 * from the profile, a refusal with its reason and suggestions, and links an admin made.
 */
import { expect, it } from 'vitest';
import { useBrowserTests } from './support/browser.js';
import { api, employees, focusedIn, personWithKey } from './support/people.js';
import { syncNow, type Stack } from './support/stack.js';

const tests = useBrowserTests();

const tag = 'odoo-sync-profile';

async function syncedStack(): Promise<{ stack: Stack; linked: Awaited<ReturnType<typeof employees>>[number] }> {
  const s = await tests.stack();
  expect(await syncNow(s)).toBe('success');
  // An employee with an Odoo user and a work e-mail: the person the tests are about.
  const linked = (await employees(s)).find((e) => e.data.userId !== null && e.data.workEmail !== null && e.data.jobTitle !== null);
  if (!linked) throw new Error('odoo-sim has no employee with a user, a work e-mail and a job title');
  return { stack: s, linked };
}

it('links a person to Odoo from the profile, then shows their employee, Odoo user and how they were matched', async () => {
  const { stack: s, linked } = await syncedStack();
  const person = await personWithKey(s, { email: linked.data.workEmail!, name: 'Someone Else Entirely' });
  const { page, errors, axe } = await tests.open(s, { apiKey: person.key, body: `<${tag}></${tag}>` });
  const button = page.getByRole('button', { name: 'Link to Odoo' });
  await button.waitFor({ timeout: 20_000 });
  expect(await page.locator(tag).getByText('You are not linked to Odoo yet').count()).toBe(1);

  const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/relink-odoo'));
  await button.focus();
  await page.keyboard.press('Enter');
  const body = (await (await answer).json()) as { message: string };
  const result = page.locator(`${tag} #relink-result`);
  await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain(body.message);
  expect(await result.getAttribute('role')).toBe('status');
  await expect.poll(() => focusedIn(page, tag), { timeout: 20_000 }).toBe('relink-result');

  const facts = page.locator(`${tag} section.card dl`);
  await expect.poll(() => facts.textContent(), { timeout: 20_000 }).toContain(linked.data.name);
  expect(await facts.textContent()).toContain(linked.data.jobTitle);
  expect(await facts.textContent()).toContain(`${linked.data.userId!.name} (#${linked.data.userId!.id})`);
  expect(await facts.textContent()).toContain('Matched by e-mail address.');
  expect(await page.getByRole('button', { name: 'Link to Odoo again' }).count()).toBe(1);
  expect((await api(s, person.key, 'GET', '/api/auth/me')).json.user.odooLink).toMatchObject({ employeeId: linked.odooId, strategy: 'email' });

  expect(await axe()).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

it('when Odoo has nobody who fits, shows the reason sentence and the people Odoo suggests', async () => {
  const { stack: s, linked } = await syncedStack();
  // Their name, misspelt, and a mailbox Odoo does not know: close, but no match.
  const misspelt = `${linked.data.name}x`;
  const person = await personWithKey(s, { email: 'someone@elsewhere.test', name: misspelt });
  const { page, errors, axe } = await tests.open(s, { apiKey: person.key, body: `<${tag}></${tag}>` });
  const button = page.getByRole('button', { name: 'Link to Odoo' });
  await button.waitFor({ timeout: 20_000 });
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/relink-odoo'));
  await button.click();
  const refused = await answer;
  expect([404, 409]).toContain(refused.status());
  const error = ((await refused.json()) as { error: { message: string; details: { suggestions: { name: string }[] } } }).error;
  expect(error.details.suggestions.map((x) => x.name)).toContain(linked.data.name);

  const alert = page.locator(`${tag} #relink-result [role=alert]`);
  await alert.waitFor({ timeout: 20_000 });
  expect(await alert.textContent()).toContain(error.message);
  const suggestions = page.getByRole('list', { name: 'Suggestions' }).getByRole('listitem');
  expect(await suggestions.count()).toBe(error.details.suggestions.length);
  expect(await suggestions.first().textContent()).toContain(error.details.suggestions[0]!.name);
  await expect.poll(() => focusedIn(page, tag), { timeout: 20_000 }).toBe('relink-result');
  // Still unlinked, and the button is still there to try again.
  expect((await api(s, person.key, 'GET', '/api/auth/me')).json.user.odooLink).toBeNull();
  expect(await button.isEnabled()).toBe(true);

  expect(await axe()).toEqual([]);
  // The browser logs the refusal's status line; nothing else went wrong.
  expect(errors).toEqual([`console: Failed to load resource: the server responded with a status of ${refused.status()} (${refused.statusText()})`]);
  await page.close();
});

it('explains a link an admin made, and an admin\'s "not in Odoo", without offering to relink', async () => {
  const { stack: s, linked } = await syncedStack();
  const person = await personWithKey(s, { email: 'ops@elsewhere.test', name: 'Ops Person' });
  const set = await api(s, s.adminKey, 'PUT', `/api/admin/users/${person.id}/odoo-link`, { employeeId: linked.odooId });
  expect(set.status).toBe(200);

  const first = await tests.open(s, { apiKey: person.key, body: `<${tag}></${tag}>` });
  const card = first.page.locator(`${tag} section.card`);
  await expect.poll(() => card.textContent(), { timeout: 20_000 }).toContain('An admin linked you to Odoo by hand');
  await expect.poll(() => card.textContent(), { timeout: 20_000 }).toContain(linked.data.name);
  expect(await card.textContent()).toContain('Linked by hand by an admin.');
  expect(await first.page.locator(tag).getByRole('button').count()).toBe(0);
  expect(await first.axe()).toEqual([]);
  expect(first.errors).toEqual([]);
  await first.page.close();

  expect((await api(s, s.adminKey, 'PUT', `/api/admin/users/${person.id}/odoo-link`, { notInOdoo: true })).status).toBe(200);
  const second = await tests.open(s, { apiKey: person.key, body: `<${tag}></${tag}>` });
  const again = second.page.locator(`${tag} section.card`);
  await expect.poll(() => again.textContent(), { timeout: 20_000 }).toContain('An admin noted that you are not in Odoo');
  expect(await second.page.locator(tag).getByRole('button').count()).toBe(0);
  expect(await again.locator('dl').count()).toBe(0);
  expect(second.errors).toEqual([]);
  await second.page.close();
});
