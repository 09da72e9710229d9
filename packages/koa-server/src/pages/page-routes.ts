/**
 * The routes of the pages: `/` and the sign-in pages for everyone, the pages of approved people
 * behind a session (others are sent to `/signin?returnTo=…`, `/pending` or `/rejected`).
 * @module
 */
import { z } from 'zod';
import type { SignInOptions } from '../http/routes/auth.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../http/route.js';
import type { RequestContext } from '../http/state.js';
import { adminPage, ADMIN_SECTIONS, dashboardPage, profilePage, recordsPage, TIMELINE_FILTERS, timelinePage } from './app-pages.js';
import { html, type SafeHtml } from './html.js';
import { signInPage, type SignInReason } from './signin-page.js';
import { pendingPage, rejectedPage, type Approver } from './waiting-pages.js';
import { callerOfPage, hereOf, placeOf, redirectTo, safeReturnTo, sendPage, viewerOf } from './viewer.js';
import type { User } from '@odoo-sync/core';
import { BOOTSTRAP_ADMIN_EMAIL } from '../auth/api-keys.js';

/** An entity with a records page: its route path and label. */
export interface PageEntity {
  /** Route path, e.g. `contacts` (`/records/contacts`, `GET /api/contacts`). */
  path: string;
  /** Label, e.g. `Contacts`. */
  label: string;
}

/** What the page routes need besides the app's dependencies. */
export interface PageRouteOptions {
  /** Sessions and Microsoft 365 sign-in, or `null` (pages then offer neither). */
  signIn: SignInOptions | null;
  /** Entities with a records page, in tab order. */
  entities: readonly PageEntity[];
  /** Origins allowed as form actions besides this one (Microsoft's sign-in). */
  formActionOrigins: readonly string[];
}

const REASONS = new Set(['reauth', 'session_ended', 'key_invalid']);

/** The timeline's starting filters from a page query: known names, one short text value each. */
function timelineFilters(query: Record<string, unknown>): Partial<Record<(typeof TIMELINE_FILTERS)[number], string>> {
  const filters: Partial<Record<(typeof TIMELINE_FILTERS)[number], string>> = {};
  for (const name of TIMELINE_FILTERS) {
    const value = query[name];
    if (typeof value === 'string' && value !== '' && value.length <= 200) filters[name] = value;
  }
  return filters;
}

/** The approved admins, at most 10 (who approves a pending person). */
async function adminsOf(store: RouteDeps['store']): Promise<Approver[]> {
  const page = await store.listUsers({ role: 'admin', status: 'approved', limit: 10 });
  return page.items.map((u) =>
    u.email === BOOTSTRAP_ADMIN_EMAIL ? { name: 'The operator who set up odoo-sync (holder of its admin API key)', email: null } : { name: u.name, email: u.email },
  );
}

function page(path: string, operationId: string, summary: string, handle: (ctx: RequestContext, params: Record<string, string>) => Promise<void>, params?: z.ZodType): AnyRoute {
  return defineRoute({
    method: 'GET',
    path,
    operationId,
    summary,
    tag: 'pages',
    access: 'public',
    ...(params ? { params } : {}),
    responses: {
      200: { description: 'The page.', contentType: 'text/html; charset=utf-8' },
      303: { description: 'Not for this visitor: to `/signin?returnTo=…`, `/pending` or `/rejected`.' },
    },
    async handle(ctx, input) {
      await handle(ctx, (input.params ?? {}) as Record<string, string>);
    },
  });
}

/** The page routes (HTML), see {@link PageRouteOptions}. */
export function pageRoutes(deps: Pick<RouteDeps, 'authenticators' | 'store'>, options: PageRouteOptions): AnyRoute[] {
  const cookieKey = options.signIn?.cookieKeys[0] ?? null;
  const forms = options.formActionOrigins;

  /** Runs `render` for an approved person (an admin when `admin`), or sends the visitor where they belong. */
  const approved = (active: string, title: string, render: (user: User, params: Record<string, string>, ctx: RequestContext) => SafeHtml | null, admin = false) =>
    async (ctx: RequestContext, params: Record<string, string>) => {
      const caller = await callerOfPage(ctx, deps, cookieKey);
      if (caller.kind === 'none') {
        redirectTo(ctx, `/signin?returnTo=${encodeURIComponent(hereOf(ctx))}${caller.ended ? '&reason=session_ended' : ''}`);
        return;
      }
      const user = caller.principal.user;
      const place = placeOf(user);
      if (place) {
        redirectTo(ctx, place);
        return;
      }
      const frame = { title, viewer: viewerOf(user), csrfToken: caller.csrfToken, active, here: hereOf(ctx) };
      if (admin && user.role !== 'admin') {
        const main = html`<section class="card card-narrow"><h1>Admins only</h1><p>This page is for admins. <a href="/dashboard">Back to the dashboard</a>.</p></section>`;
        sendPage(ctx, { ...frame, title: 'Admins only', main, components: false }, forms, 403);
        return;
      }
      const main = render(user, params, ctx);
      if (main === null) {
        sendPage(ctx, { ...frame, title: 'Not found', main: html`<section class="card card-narrow"><h1>Not found</h1><p>There is no such page. <a href="/dashboard">Back to the dashboard</a>.</p></section>`, components: false }, forms, 404);
        return;
      }
      sendPage(ctx, { ...frame, main }, forms);
    };

  /** `/pending` and `/rejected`: for people of that status; others go where they belong. */
  const waiting = (status: 'pending' | 'rejected') => async (ctx: RequestContext) => {
    const caller = await callerOfPage(ctx, deps, cookieKey);
    if (caller.kind === 'none') {
      redirectTo(ctx, '/signin');
      return;
    }
    const user = caller.principal.user;
    if (user.status !== status) {
      redirectTo(ctx, placeOf(user) ?? '/dashboard');
      return;
    }
    const admins = await adminsOf(deps.store);
    const person = { name: user.name, email: user.email };
    const main = status === 'pending' ? pendingPage(person, admins) : rejectedPage(person, admins);
    sendPage(ctx, { title: status === 'pending' ? 'Waiting for approval' : 'Access refused', viewer: null, csrfToken: caller.csrfToken, here: `/${status}`, main, components: false }, forms);
  };

  const entityParams = z.object({ entity: z.string().max(100) });
  const sectionParams = z.object({ section: z.string().max(100) });
  return [
    defineRoute({
      method: 'GET',
      path: '/',
      operationId: 'root',
      summary: 'Redirects to the dashboard (which sends visitors who are not signed in to the sign-in page).',
      tag: 'pages',
      access: 'public',
      responses: { 302: { description: 'To /dashboard.' } },
      async handle(ctx) {
        ctx.redirect('/dashboard');
      },
    }),
    page('/signin', 'signInPage', 'The sign-in page: "Sign in with Microsoft", and an API-key form for operators.', async (ctx) => {
      const query = ctx.query as Record<string, unknown>;
      const returnTo = safeReturnTo(query['returnTo']);
      const caller = await callerOfPage(ctx, deps, cookieKey);
      // Someone signed in who is not asked to sign in again goes on.
      if (caller.kind === 'signed_in' && query['reason'] !== 'reauth') {
        redirectTo(ctx, placeOf(caller.principal.user) ?? returnTo);
        return;
      }
      const reason: SignInReason = query['signedOut'] === '1' ? 'signed_out' : REASONS.has(String(query['reason'])) ? (String(query['reason']) as SignInReason) : null;
      const main = signInPage({ returnTo, ms365: Boolean(options.signIn?.ms365), apiKeyForm: options.signIn !== null, reason });
      sendPage(ctx, { title: 'Sign in', viewer: null, csrfToken: null, here: '/signin', main, components: false }, forms);
    }),
    page('/pending', 'pendingPage', 'The waiting-for-approval page: who approves the person.', waiting('pending')),
    page('/rejected', 'rejectedPage', 'The page of a person an admin refused.', waiting('rejected')),
    page('/dashboard', 'dashboardPage', 'The dashboard: sync health and the person\'s recent activity.', approved('dashboard', 'Dashboard', (user) => dashboardPage(user))),
    page('/profile', 'profilePage', 'The profile: who I am, my role, my Odoo link.', approved('profile', 'Profile', () => profilePage())),
    page(
      '/records/:entity',
      'recordsPage',
      'Records of one entity (accounts, contacts, opportunities, invoices, …) with search, paging and "show archived".',
      approved('records', 'Records', (_user, params) => {
        const entity = params['entity'] ?? '';
        return options.entities.some((e) => e.path === entity) ? recordsPage(entity, options.entities) : null;
      }),
      entityParams,
    ),
    page(
      '/timeline',
      'timelinePage',
      'The activity timeline with filters (starting ones from the query: `type`, `user-id`, `from`, `to`, `entity-type`, `entity-id`, `source`, `q`); CSV download for admins.',
      approved('timeline', 'Timeline', (_user, _params, ctx) => timelinePage(timelineFilters(ctx.query))),
    ),
    page('/admin', 'adminPage', 'Admin: people, API keys, sync.', approved('admin', 'Admin', () => adminPage('people'), true)),
    page(
      '/admin/:section',
      'adminSectionPage',
      'One admin section: `people`, `keys` or `sync`.',
      approved('admin', 'Admin', (_user, params) => {
        const section = ADMIN_SECTIONS.find((s) => s.id === params['section']);
        return section ? adminPage(section.id) : null;
      }, true),
      sectionParams,
    ),
  ];
}
