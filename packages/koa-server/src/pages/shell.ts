/**
 * The frame every page shares: the document head (CSRF meta, the stylesheet, the components'
 * bundle and the pages' script, never an inline script or style), a skip link, the top bar
 * (who is signed in, their role, sign out), the navigation and the "sign in again" banner.
 * @module
 */
import { CSRF_META } from '../auth/csrf.js';
import { html, type SafeHtml } from './html.js';

/** Path of the components' browser bundle. */
export const ELEMENTS_BUNDLE_PATH = '/ui/odoo-sync-elements.js';
/** Path of the pages' stylesheet. */
export const PAGES_CSS_PATH = '/ui/pages.css';
/** Path of the pages' script (sign out, the "sign in again" banner). */
export const PAGES_JS_PATH = '/ui/pages.js';

/** The signed-in person a page is shown to. */
export interface PageViewer {
  /** Display name. */
  name: string;
  /** E-mail address. */
  email: string;
  /** `admin` or `user`. */
  role: 'admin' | 'user';
  /** True when Microsoft 365 will no longer refresh their session: the banner shows at once. */
  reauthRequired: boolean;
}

/** The navigation entries; `admin` ones show to admins only. */
const NAV: ReadonlyArray<{ id: string; href: string; label: string; admin?: boolean }> = [
  { id: 'dashboard', href: '/dashboard', label: 'Dashboard' },
  { id: 'records', href: '/records/accounts', label: 'Records' },
  { id: 'timeline', href: '/timeline', label: 'Timeline' },
  { id: 'profile', href: '/profile', label: 'Profile' },
  { id: 'admin', href: '/admin', label: 'Admin', admin: true },
];

/** What {@link renderPage} draws. */
export interface PageFrame {
  /** The document title (` · odoo-sync` is added). */
  title: string;
  /** The page's main content. */
  main: SafeHtml;
  /** Who is signed in; `null` on the sign-in pages (no top bar navigation). */
  viewer: PageViewer | null;
  /** The session's CSRF token, rendered in `<meta name="odoo-sync-csrf">`; `null` without a session. */
  csrfToken: string | null;
  /** Which navigation entry is the current page. */
  active?: string;
  /** The path of this page with its query: where "sign in again" comes back to. */
  here: string;
  /** Load the components' bundle (pages that mount components). @default true */
  components?: boolean;
}

/** The login link that comes back to `returnTo`. */
export function loginHref(returnTo: string): string {
  return `/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}

function topBar(viewer: PageViewer | null, active: string | undefined): SafeHtml {
  const brand = html`<a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>odoo-sync</a>`;
  if (viewer === null) return html`<header class="topbar">${brand}</header>`;
  const items = NAV.filter((item) => !item.admin || viewer.role === 'admin').map(
    (item) => html`<li><a href="${item.href}"${item.id === active ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  );
  return html`<header class="topbar">
${brand}
<nav aria-label="Main"><ul>${items}</ul></nav>
<div class="who"><span class="who-name">${viewer.name}</span> <span class="role role-${viewer.role}">${viewer.role === 'admin' ? 'Admin' : 'User'}</span>
<button type="button" class="signout" data-signout>Sign out</button></div>
</header>`;
}

/** A whole page: head, top bar, banner and `main`. */
export function renderPage(frame: PageFrame): string {
  const components = frame.components ?? true;
  const banner = html`<div class="banner banner-reauth" id="reauth-banner" role="alert"${frame.viewer?.reauthRequired ? '' : html` hidden`}>
<p><strong>Your Microsoft 365 sign-in has expired.</strong> Sign in again to keep working; you will come back to this page.</p>
<a class="button" href="${loginHref(frame.here)}" data-reauth-link>Sign in again</a>
</div>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="${CSRF_META}" content="${frame.csrfToken ?? ''}">
<title>${frame.title} · odoo-sync</title>
<link rel="stylesheet" href="${PAGES_CSS_PATH}">
${components ? html`<script type="module" src="${ELEMENTS_BUNDLE_PATH}"></script>` : ''}
<script src="${PAGES_JS_PATH}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${topBar(frame.viewer, frame.active)}
${frame.viewer ? banner : ''}
<main id="main" tabindex="-1">
${frame.main}
</main>
<footer class="footer"><p>odoo-sync keeps a copy of Odoo close to your apps. <a href="/api/openapi.json">API</a></p></footer>
</body>
</html>
`.value;
}
