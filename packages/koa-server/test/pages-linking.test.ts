/**
 * Linking people to Odoo through the server's pages, in Debian's Chromium (playwright-core) over a
 * real server, the Odoo simulator and the demo's Microsoft 365 stand-in (FakeEntraId): linked by
 * e-mail, linked by a Graph alias, "Link to Odoo" refused with the reason and the suggested people,
 * an admin's link by candidate search, and the timeline's CSV download. axe-core (0 serious or
 * critical) on the page states pages.test.ts does not check.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_M365_DOMAIN, demoObjectId, type DemoPerson } from '../src/cli/demo-people.js';
import { usePagesServer } from './pages-setup.js';

const pages = usePagesServer('pages-linking', 'pages-linking-bootstrap-admin-key-0123');
const { person, who, signInAs, axeProblems } = pages;
/** Someone Microsoft 365 knows under another domain and a name close to an Odoo person's: not linked automatically. */
let nearMiss: { upn: string; name: string; closeTo: DemoPerson };

beforeAll(async () => {
  // The second person Odoo knows by e-mail, with a slightly different first name and a mailbox elsewhere.
  const closeTo = pages.people.filter((p) => p.role === 'user' && p.status === 'approved' && p.otherMails.length === 0 && p.name !== 'Nora Newcomer')[1];
  if (!closeTo) throw new Error('the demo has no second person known by e-mail');
  const [first, ...rest] = closeTo.name.split(' ');
  nearMiss = { upn: `near.miss@${DEMO_M365_DOMAIN}`, name: [`${first}o`, ...rest].join(' '), closeTo };
  pages.signIn.entra.addUser({ oid: demoObjectId(nearMiss.upn), upn: nearMiss.upn, name: nearMiss.name, otherMails: [], proxyAddresses: [`SMTP:${nearMiss.upn}`] });
  await pages.running.store.createUser({ id: randomUUID(), email: nearMiss.upn, name: nearMiss.name, role: 'user', status: 'approved' }, new Date());
});

/** The "Odoo link" card of the profile, once loaded: its facts (term → text) and its whole text. */
async function odooCard(page: Page): Promise<{ facts: Record<string, string>; text: string }> {
  const card = page.locator('odoo-sync-profile section.card');
  await card.waitFor();
  await expect.poll(() => page.getByText(/^Loading/).count(), { timeout: 30_000 }).toBe(0);
  const facts = await card.locator('dl.facts').evaluateAll((lists) => {
    const out: Record<string, string> = {};
    for (const list of lists) for (const dt of list.querySelectorAll('dt')) out[dt.textContent?.trim() ?? ''] = dt.nextElementSibling?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    return out;
  });
  return { facts, text: ((await card.textContent()) ?? '').replace(/\s+/g, ' ') };
}

/** The whole profile's facts (name, e-mail, other addresses…). */
async function profileFacts(page: Page): Promise<Record<string, string>> {
  return page.locator('odoo-sync-profile section[aria-labelledby="profile-title"] dl.facts').evaluate((list) => {
    const out: Record<string, string> = {};
    for (const dt of list.querySelectorAll('dt')) out[dt.textContent?.trim() ?? ''] = dt.nextElementSibling?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    return out;
  });
}

describe('linking to Odoo in Chromium', () => {
  it('someone whose Microsoft mailbox is their Odoo e-mail is linked at sign-in; the profile says "matched by e-mail"', { timeout: 120_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    const email = who('email');
    await signInAs(page, email, '/profile');
    const { facts, text } = await odooCard(page);
    const stored = await pages.running.store.getUserByEmail(email.upn);
    expect(stored?.odooLink).toMatchObject({ strategy: 'email' });
    expect(facts['Odoo user']).toBe(`${email.name} (#${stored!.odooLink!.odooUserId})`);
    expect(facts['Employee']).toContain(email.name);
    expect(facts['How']).toBe('Matched by e-mail address.');
    expect(text).toContain('If this is not you, try again or ask an admin.');
    await page.getByRole('button', { name: 'Link to Odoo again' }).waitFor();
    expect(context.violations).toEqual([]);
    await context.close();
  });

  it('someone in Odoo only under a Graph alias (otherMails / smtp: proxy address) is linked by it; the profile shows the alias and how', { timeout: 120_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    const alias = who('alias');
    const odooEmail = alias.otherMails[0]!;
    expect(alias.upn).not.toBe(odooEmail);
    await signInAs(page, alias, '/profile');
    const { facts } = await odooCard(page);
    const stored = await pages.running.store.getUserByEmail(alias.upn);
    expect(stored?.odooLink).toMatchObject({ strategy: 'email' });
    expect(facts['Odoo user']).toBe(`${alias.name} (#${stored!.odooLink!.odooUserId})`);
    expect(facts['How']).toBe('Matched by e-mail address.');
    // The address it matched by is the alias Microsoft 365 vouched for, not the mailbox.
    const mine = await profileFacts(page);
    expect(mine['E-mail']).toBe(alias.upn);
    expect(mine['Other addresses']).toContain(odooEmail);
    expect(await axeProblems(page)).toEqual([]);
    expect(context.violations).toEqual([]);
    await context.close();
  });

  it('"Link to Odoo" for someone not linked automatically is refused with the reason and the people who may be them; an admin links them by search; their profile explains it', { timeout: 240_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    await signInAs(page, nearMiss, '/profile');
    const before = await odooCard(page);
    expect(before.text).toContain('You are not linked to Odoo yet.');
    await page.getByRole('button', { name: 'Link to Odoo', exact: true }).click();
    const result = page.locator('odoo-sync-profile #relink-result');
    await result.waitFor();
    // The reason sentence names the mailbox and the name tried, and the closest person.
    const resultText = ((await result.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(resultText).toContain(`No Odoo user or employee has the e-mail ${nearMiss.upn} or the name ${nearMiss.name}.`);
    expect(resultText).toContain(`Closest: ${nearMiss.closeTo.name} (${nearMiss.closeTo.upn})`);
    // The suggested people: the close Odoo person among them, with their e-mail.
    const suggestions = result.getByRole('list', { name: 'Suggestions' });
    await suggestions.waitFor();
    expect(await result.getByText('People in Odoo who may be you:').count()).toBe(1);
    const items = (await suggestions.getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(items.some((t) => t.includes(nearMiss.closeTo.name) && t.includes(`<${nearMiss.closeTo.upn}>`))).toBe(true);
    expect(await result.getByText('If one of them is you, ask an admin to link you to them.').count()).toBe(1);
    expect(await axeProblems(page)).toEqual([]);
    expect((await pages.running.store.getUserByEmail(nearMiss.upn))?.odooLink).toBeNull();

    // An admin finds them on /admin/people and links them to the suggested person by candidate search.
    const adminContext = await person();
    const admin = await adminContext.newPage();
    await signInAs(admin, who('admin'), '/admin/people');
    const people = admin.locator('odoo-sync-admin-people');
    await people.getByLabel('Find a person').fill(nearMiss.name);
    const card = people.locator('li.card', { hasText: nearMiss.upn });
    await card.getByRole('button', { name: 'Change Odoo link' }).click();
    await card.getByLabel('Search Odoo people').fill(nearMiss.closeTo.name);
    await card.getByRole('button', { name: 'Search' }).click();
    await card.getByRole('list', { name: 'Odoo people found' }).waitFor();
    expect(await axeProblems(admin)).toEqual([]);
    await card.getByRole('button', { name: `Link ${nearMiss.name} to ${nearMiss.closeTo.name}` }).first().click();
    await expect.poll(async () => (await pages.running.store.getUserByEmail(nearMiss.upn))?.odooLink?.strategy, { timeout: 30_000 }).toBe('manual');
    await expect.poll(async () => ((await card.textContent()) ?? '').replace(/\s+/g, ' '), { timeout: 30_000 }).toContain('Linked by hand by an admin.');
    const linked = (await pages.running.store.getUserByEmail(nearMiss.upn))!.odooLink!;
    expect(linked.odooUserId ?? linked.employeeId).not.toBeNull();
    expect(linked.linkedBy).toBe((await pages.running.store.getUserByEmail(who('admin').upn))!.id);

    // Their profile shows the admin's link, explained, and offers no relinking.
    await page.reload();
    const after = await odooCard(page);
    expect(after.facts['How']).toBe('Linked by hand by an admin.');
    expect(after.facts['Employee'] ?? after.facts['Odoo user']).toContain(nearMiss.closeTo.name);
    expect(after.text).toContain('An admin linked you to Odoo by hand. To change it, ask an admin.');
    expect(await page.getByRole('button', { name: /Link to Odoo/ }).count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
    expect(context.violations).toEqual([]);
    expect(adminContext.violations).toEqual([]);
    await context.close();
    await adminContext.close();
  });

  it('an admin on /timeline downloads the activities as CSV: BOM, header row, the sign-ins, the date range in the file name', { timeout: 120_000 }, async () => {
    const context = await person();
    const page = await context.newPage();
    const admin = who('admin');
    await signInAs(page, admin, '/timeline');
    await page.locator('odoo-sync-timeline').waitFor();
    const link = page.getByRole('link', { name: 'Download CSV' });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^activities-.+-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = join(pages.dir, 'download.csv');
    await download.saveAs(saved);
    const text = readFileSync(saved, 'utf8');
    expect(text.startsWith('\uFEFFid,timestamp,')).toBe(true);
    const [header, ...rows] = text.slice(1).split(/\r?\n/).filter((line) => line !== '');
    expect(header).toMatch(/^id,timestamp,/);
    const signIns = rows.filter((row) => row.includes('user_signed_in'));
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns.some((row) => row.includes(admin.upn) || row.includes(admin.name))).toBe(true);
    expect(context.violations).toEqual([]);
    await context.close();
  });
});
