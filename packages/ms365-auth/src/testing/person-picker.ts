/**
 * The sign-in page of {@link FakeEntraId}: "Pick an account", a list of the directory's people
 * (each with the line a demo gives them), for a browser that reaches the fake's authorize
 * endpoint without `login_hint`. Choosing a person comes back to the same endpoint with their
 * sign-in name as `login_hint`, which signs them in and redirects to the app.
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { FakeEntraUser } from './fake-entra-protocol.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * The person picker's HTML. `authorizeUrl` is the URL the browser asked for (its query is kept);
 * each person's link adds `login_hint`. No script; its one stylesheet is inline (the page is the
 * fake's, not the app's).
 */
export function personPickerPage(users: readonly FakeEntraUser[], authorizeUrl: URL): string {
  const items = users.map((user) => {
    const link = new URL(authorizeUrl.toString());
    link.searchParams.set('login_hint', user.upn);
    const initials = user.name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w.charAt(0).toUpperCase()).join('');
    return `<li><a href="${escape(link.pathname + link.search)}"><span class="avatar" aria-hidden="true">${escape(initials)}</span>` +
      `<span class="who"><strong>${escape(user.name)}</strong><span class="upn">${escape(user.upn)}</span>` +
      `${user.description ? `<span class="note">${escape(user.description)}</span>` : ''}</span></a></li>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to your account (Microsoft 365 stand-in)</title>
<style>
body{margin:0;font:15px/1.45 "Segoe UI",system-ui,sans-serif;background:#f2f2f2;color:#1b1b1b}
main{max-width:30rem;margin:3rem auto;background:#fff;padding:2rem 2.25rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;font-weight:600;margin:.75rem 0 .25rem}
p{margin:.25rem 0 1rem;color:#444}
.logo{display:inline-grid;grid-template-columns:.6rem .6rem;gap:2px}.logo i{width:.6rem;height:.6rem;display:block}
.logo i:nth-child(1){background:#f25022}.logo i:nth-child(2){background:#7fba00}.logo i:nth-child(3){background:#00a4ef}.logo i:nth-child(4){background:#ffb900}
ul{list-style:none;margin:0;padding:0}
li a{display:flex;gap:.8rem;align-items:center;padding:.7rem .5rem;border-top:1px solid #e5e5e5;color:inherit;text-decoration:none}
li a:hover,li a:focus-visible{background:#f0f6ff;outline:2px solid #0067b8}
.avatar{flex:none;width:2.4rem;height:2.4rem;border-radius:50%;background:#0067b8;color:#fff;display:grid;place-items:center;font-weight:600}
.who{display:flex;flex-direction:column}.upn{color:#555;font-size:.9rem}.note{color:#0b5a2c;font-size:.85rem}
.fine{font-size:.82rem;color:#666;margin-top:1.25rem}
</style>
</head>
<body>
<main>
<span class="logo" aria-hidden="true"><i></i><i></i><i></i><i></i></span>
<h1>Pick an account</h1>
<p>A stand-in for Microsoft 365 sign-in, running on this computer. Nobody types a password here.</p>
<ul>${items.join('')}</ul>
<p class="fine">Only for demos and tests: this page signs in whoever is chosen.</p>
</main>
</body>
</html>
`;
}

/** Answers with the person picker (200, HTML, not cached). */
export function sendPersonPicker(res: ServerResponse, users: readonly FakeEntraUser[], authorizeUrl: URL): void {
  res.statusCode = 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(personPickerPage(users, authorizeUrl));
}
