/**
 * The pages of approved people: dashboard, profile, records, timeline and admin. Each mounts
 * components of `@odoo-sync/elements`, which read the API with the session cookie.
 * @module
 */
import { html, type SafeHtml } from './html.js';

/** The dashboard: sync health and the person's recent activity. */
export function dashboardPage(viewer: { id: string }): SafeHtml {
  return html`<div class="page-head"><h1>Dashboard</h1>
<p class="lede">How fresh the copy of Odoo is, and what happened lately.</p></div>
<div class="grid grid-2">
<section class="slot" aria-label="Sync health"><odoo-sync-health></odoo-sync-health></section>
<section class="slot" aria-label="My recent activity"><odoo-sync-timeline user-id="${viewer.id}" page-size="8" no-filters></odoo-sync-timeline>
<p><a href="/timeline">See the whole timeline</a></p></section>
</div>`;
}

/** The profile: who I am, my role and my Odoo link ("Link to Odoo"). */
export function profilePage(): SafeHtml {
  return html`<div class="page-head"><h1>Profile</h1>
<p class="lede">Who you are here, and which Odoo user and employee you are linked to.</p></div>
<section class="slot"><odoo-sync-profile></odoo-sync-profile></section>`;
}

/** The route paths of the records `<odoo-sync-records>` shows. */
export const RECORD_PAGES: ReadonlySet<string> = new Set(['accounts', 'contacts', 'opportunities', 'invoices']);

/** One entity's records, with a tab per served entity. */
export function recordsPage(current: string, entities: ReadonlyArray<{ path: string; label: string }>): SafeHtml {
  const label = entities.find((e) => e.path === current)?.label ?? current;
  return html`<div class="page-head"><h1>Records</h1>
<p class="lede">Synced from Odoo. Archived records and records deleted in Odoo are hidden unless you ask for them.</p></div>
<nav aria-label="Record types"><ul class="tabs">${entities.map(
    (e) => html`<li><a href="/records/${e.path}"${e.path === current ? html` aria-current="page"` : ''}>${e.label}</a></li>`,
  )}</ul></nav>
<section class="slot" aria-label="${label}"><odoo-sync-records entity="${current}"></odoo-sync-records></section>`;
}

/** The timeline's starting filters the page takes from its query (`/timeline?type=sync&from=2026-01-01`). */
export const TIMELINE_FILTERS = ['type', 'user-id', 'from', 'to', 'entity-type', 'entity-id', 'source', 'q'] as const;

/** The activity timeline with its filters (started from `filters`); admins can download it as CSV. */
export function timelinePage(filters: Partial<Record<(typeof TIMELINE_FILTERS)[number], string>>): SafeHtml {
  const attributes = TIMELINE_FILTERS.filter((name) => filters[name] !== undefined).map((name) => html` ${name}="${filters[name]}"`);
  return html`<div class="page-head"><h1>Activity timeline</h1>
<p class="lede">Who did what, in this app and in Odoo. Filter by type, person, date or record.</p></div>
<section class="slot"><odoo-sync-timeline${attributes}></odoo-sync-timeline></section>`;
}

/** The admin sections. */
export const ADMIN_SECTIONS = [
  { id: 'people', label: 'People' },
  { id: 'keys', label: 'API keys' },
  { id: 'sync', label: 'Sync' },
] as const;

/** Admin: people (approve, role, Odoo link override), API keys, sync settings and logs. */
export function adminPage(section: (typeof ADMIN_SECTIONS)[number]['id']): SafeHtml {
  const body =
    section === 'people'
      ? html`<odoo-sync-admin-people></odoo-sync-admin-people>`
      : section === 'keys'
        ? html`<odoo-sync-admin-keys></odoo-sync-admin-keys>`
        : html`<odoo-sync-admin-sync></odoo-sync-admin-sync>`;
  return html`<div class="page-head"><h1>Admin</h1>
<p class="lede">Approve people and fix their Odoo link, manage API keys, and tune the sync.</p></div>
<nav aria-label="Admin sections"><ul class="tabs">${ADMIN_SECTIONS.map(
    (s) => html`<li><a href="/admin/${s.id}"${s.id === section ? html` aria-current="page"` : ''}>${s.label}</a></li>`,
  )}</ul></nav>
<section class="slot">${body}</section>`;
}
