/**
 * `/pending` and `/rejected`: what people see after signing in while an admin has not approved
 * them yet (and who approves them), or once an admin has refused them.
 * @module
 */
import { html, type SafeHtml } from './html.js';

/** Someone who can approve people. */
export interface Approver {
  /** Display name. */
  name: string;
  /** E-mail address. */
  email: string;
}

/** The waiting-for-approval page's main content: `approvers` are the admins (none yet: the bootstrap admin). */
export function pendingPage(person: { name: string; email: string }, approvers: readonly Approver[]): SafeHtml {
  const who =
    approvers.length > 0
      ? html`<p>${approvers.length === 1 ? 'This admin approves' : 'One of these admins approves'} new people:</p>
<ul class="people">${approvers.map((a) => html`<li><strong>${a.name}</strong> <span class="email">${a.email}</span></li>`)}</ul>`
      : html`<p>No one has signed in as an admin yet: the operator who set up odoo-sync (the holder of its bootstrap admin API key) approves you.</p>`;
  return html`<section class="card card-narrow" aria-labelledby="pending-title">
<div class="status-icon status-wait" aria-hidden="true">⏳</div>
<h1 id="pending-title" class="center">Waiting for approval</h1>
<p class="lede center">You are signed in as <strong>${person.name}</strong> (${person.email}). An admin must approve you before you see Odoo data.</p>
${who}
<p>Once approved, <a href="/dashboard">open the dashboard</a> — no need to sign in again.</p>
<p><button type="button" class="button button-quiet" data-signout>Sign out</button></p>
</section>`;
}

/** The page of someone an admin refused. */
export function rejectedPage(person: { name: string; email: string }, admins: readonly Approver[]): SafeHtml {
  const contact = admins.length > 0 ? html` If you think this is a mistake, ask ${admins.map((a, i) => html`${i > 0 ? ', ' : ''}<strong>${a.name}</strong> (${a.email})`)}.` : '';
  return html`<section class="card card-narrow" aria-labelledby="rejected-title">
<div class="status-icon status-no" aria-hidden="true">✕</div>
<h1 id="rejected-title" class="center">Access refused</h1>
<p class="lede center">An admin has not given <strong>${person.name}</strong> (${person.email}) access to odoo-sync.${contact}</p>
<p class="center"><button type="button" class="button button-quiet" data-signout>Sign out</button></p>
</section>`;
}
