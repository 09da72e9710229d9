import { describe, expect, it } from 'vitest';
import { chooseDemoPeople, demoObjectId } from '../cli/demo-people.js';
import { matchesEtag } from './asset-routes.js';
import { escapeHtml, html } from './html.js';
import { renderPage } from './shell.js';
import { pendingPage } from './waiting-pages.js';
import { pageCsp, safeReturnTo } from './viewer.js';

describe('pages', () => {
  it('escapes every value put in a template, markup from html`` passes as is', () => {
    const name = '<img src=x onerror="alert(1)">&\'`';
    expect(html`<p>${name}</p>`.value).toBe('<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;&#96;</p>');
    expect(html`<p>${[html`<b>${'a<b'}</b>`, 1, null, false, undefined]}</p>`.value).toBe('<p><b>a&lt;b</b>1</p>');
    expect(escapeHtml('"x"')).toBe('&quot;x&quot;');
    const page = pendingPage({ name, email: 'x@example.com"><script>' }, [{ name: '</li><script>alert(2)</script>', email: 'boss@example.com' }]).value;
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>');
  });

  it('renders the CSRF token, no inline script or style, and the banner hidden unless the person must sign in again', () => {
    const viewer = { name: 'Ana', email: 'ana@example.com', role: 'user' as const, reauthRequired: false };
    const page = renderPage({ title: 'T', main: html`<p>x</p>`, viewer, csrfToken: 'tok"en', here: '/records/contacts?q=a&b' });
    expect(page).toContain('<meta name="odoo-sync-csrf" content="tok&quot;en">');
    expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(page.match(/<script[^>]*>/g)).toEqual(['<script type="module" src="/ui/odoo-sync-elements.js">', '<script src="/ui/pages.js" defer>']);
    expect(page).toContain('id="reauth-banner" role="alert" hidden');
    expect(page).toContain('href="/api/auth/login?returnTo=%2Frecords%2Fcontacts%3Fq%3Da%26b"');
    expect(page).not.toContain('href="/admin"');
    const again = renderPage({ title: 'T', main: html``, viewer: { ...viewer, role: 'admin', reauthRequired: true }, csrfToken: null, here: '/' });
    expect(again).toContain('id="reauth-banner" role="alert">');
    expect(again).toContain('href="/admin"');
  });

  it('comes back only to a path of this site', () => {
    for (const good of ['/dashboard', '/records/contacts?q=a', '/timeline#x']) expect(safeReturnTo(good)).toBe(good);
    for (const bad of ['//evil.test/x', 'https://evil.test', '/\\evil.test', 'javascript:alert(1)', '/signin?returnTo=/x', '/pending', '', '/a\nb', 42, undefined, `/${'a'.repeat(2001)}`]) {
      expect(safeReturnTo(bad)).toBe('/dashboard');
    }
  });

  it('the Content-Security-Policy allows only this origin, and forms to Microsoft', () => {
    expect(pageCsp(['https://login.microsoftonline.com'])).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' https://login.microsoftonline.com",
    );
  });

  it('matches ETags as If-None-Match lists them', () => {
    expect(matchesEtag('"a", "b"', '"b"')).toBe(true);
    expect(matchesEtag('W/"b"', '"b"')).toBe(true);
    expect(matchesEtag('*', '"b"')).toBe(true);
    expect(matchesEtag('"a"', '"b"')).toBe(false);
    expect(matchesEtag('', '"b"')).toBe(false);
  });

  it('draws the demo people from Odoo: an admin, two by e-mail, one by an alias only, one not in Odoo, one pending', () => {
    const users = [5, 2, 7, 9, 11, 13].map((id) => ({ odooId: id, name: `Person ${id}`, login: `p${id}`, email: `P${id}@corp.example`, active: true }));
    users.push({ odooId: 20, name: 'No Employee', login: 'ne', email: 'ne@corp.example', active: true });
    users.push({ odooId: 21, name: 'Archived', login: 'ar', email: 'ar@corp.example', active: false });
    const employees = [...users.map((u) => ({ odooId: u.odooId + 100, name: u.name, workEmail: u.email, userId: u.odooId === 20 ? null : { id: u.odooId, name: u.name }, active: true }))];
    const people = chooseDemoPeople({ users, employees });
    expect(people.map((p) => [p.upn, p.role, p.status])).toEqual([
      ['p2@corp.example', 'admin', 'approved'],
      ['p5@corp.example', 'user', 'approved'],
      ['p7@corp.example', 'user', 'approved'],
      ['p9@m365.demo.example', 'user', 'approved'],
      ['nora.newcomer@m365.demo.example', 'user', 'approved'],
      ['pat.partner@partner.demo.example', 'user', 'pending'],
    ]);
    expect(people[3]).toMatchObject({ name: 'Person 9', otherMails: ['p9@corp.example'], proxyAddresses: ['SMTP:p9@m365.demo.example', 'smtp:p9@corp.example'] });
    expect(demoObjectId('A@x.example')).toBe(demoObjectId('a@x.example'));
    expect(demoObjectId('a@x.example')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
