/**
 * `/signin`: "Sign in with Microsoft" (back to `returnTo` afterwards) and, secondary, a form
 * for operators who hold an API key.
 * @module
 */
import { html, type SafeHtml } from './html.js';
import { loginHref } from './shell.js';

/** Why the visitor is on the sign-in page (from `?reason=` or `?signedOut=1`). */
export type SignInReason = 'signed_out' | 'reauth' | 'session_ended' | 'key_invalid' | null;

const REASONS: Record<Exclude<SignInReason, null>, { text: string; tone: 'info' | 'warn' | 'bad' }> = {
  signed_out: { text: 'You are signed out.', tone: 'info' },
  reauth: { text: 'Your Microsoft 365 sign-in has expired. Sign in again; you will come back where you were.', tone: 'warn' },
  session_ended: { text: 'Your session has ended. Sign in again to continue.', tone: 'warn' },
  key_invalid: { text: 'That API key is not valid (unknown or revoked), or its person is not approved.', tone: 'bad' },
};

/** What the sign-in page shows. */
export interface SignInPageInput {
  /** Where to come back to after signing in (a path of this site). */
  returnTo: string;
  /** Whether Microsoft 365 sign-in is configured. */
  ms365: boolean;
  /** Whether the API-key form works (sessions are configured). */
  apiKeyForm: boolean;
  /** Why the visitor is here. */
  reason: SignInReason;
}

/** The sign-in page's main content. */
export function signInPage(input: SignInPageInput): SafeHtml {
  const reason = input.reason ? REASONS[input.reason] : null;
  const notice = reason ? html`<p class="notice${reason.tone === 'info' ? '' : ` notice-${reason.tone}`}" role="status">${reason.text}</p>` : '';
  const microsoft = input.ms365
    ? html`<a class="button button-ms" href="${loginHref(input.returnTo)}"><span class="ms-logo" aria-hidden="true"><i></i><i></i><i></i><i></i></span>Sign in with Microsoft</a>
<p class="lede">Use your work account. New people wait for an admin to approve them; you will see who.</p>`
    : html`<p class="notice notice-warn">Microsoft 365 sign-in is not configured on this server. An operator sets <code>MS365_CLIENT_ID</code>, <code>MS365_TENANT_ID</code> and the other <code>MS365_*</code> settings.</p>`;
  const operator = input.apiKeyForm
    ? html`<details class="operator"${input.reason === 'key_invalid' || !input.ms365 ? ' open' : ''}>
<summary>Operators: sign in with an API key</summary>
<form method="post" action="/signin/api-key">
<input type="hidden" name="returnTo" value="${input.returnTo}">
<label for="api-key">API key</label>
<input id="api-key" name="key" type="password" autocomplete="off" spellcheck="false" placeholder="osk_…" required>
<button class="button button-quiet" type="submit">Sign in with the key</button>
</form>
</details>`
    : '';
  return html`<section class="card card-narrow center" aria-labelledby="signin-title">
<h1 id="signin-title">Sign in to odoo-sync</h1>
<p class="lede">Your Odoo customers, deals and invoices, the sync's health and who did what — in one place.</p>
${notice}
${microsoft}
${operator}
</section>`;
}
