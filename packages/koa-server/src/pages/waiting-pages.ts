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
  /** E-mail address; `null` for the operator's bootstrap admin (no mailbox). */
  email: string | null;
}

const HOURGLASS = html`<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M6 3h12M6 21h12M7 3c0 5 5 6 5 9s-5 4-5 9M17 3c0 5-5 6-5 9s5 4 5 9"/></svg>`;
const CROSS = html`<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/></svg>`;

function approverItem(a: Approver): SafeHtml {
  return a.email === null ? html`<li><strong>${a.name}</strong></li>` : html`<li><strong>${a.name}</strong> <span class="email">${a.email}</span></li>`;
}

/** The waiting-for-approval page's main content: `approvers` are the admins (none yet: the bootstrap admin). */
export function pendingPage(person: { name: string; email: string }, approvers: readonly Approver[]): SafeHtml {
  const who =
    approvers.length > 0
      ? html`<p>${approvers.length === 1 ? 'This admin approves' : 'One of these admins approves'} new people:</p>
<ul class="people">${approvers.map(approverItem)}</ul>`
      : html`<p>No one has signed in as an admin yet: the operator who set up odoo-sync (the holder of its bootstrap admin API key) approves you.</p>`;
  return html`<section class="card card-narrow" aria-labelledby="pending-title">
<div class="status-icon status-wait">${HOURGLASS}</div>
<h1 id="pending-title" class="center">Waiting for approval</h1>
<p class="lede center">You are signed in as <strong>${person.name}</strong> (${person.email}). An admin must approve you before you see Odoo data.</p>
${who}
<p>Once approved, <a href="/dashboard">open the dashboard</a> — no need to sign in again.</p>
<p><button type="button" class="button button-quiet" data-signout>Sign out</button></p>
</section>`;
}

/** The page of someone an admin refused. */
export function rejectedPage(person: { name: string; email: string }, admins: readonly Approver[]): SafeHtml {
  const reachable = admins.filter((a) => a.email !== null);
  const contact = reachable.length > 0 ? html` If you think this is a mistake, ask ${reachable.map((a, i) => html`${i > 0 ? ', ' : ''}<strong>${a.name}</strong> (${a.email})`)}.` : '';
  return html`<section class="card card-narrow" aria-labelledby="rejected-title">
<div class="status-icon status-no">${CROSS}</div>
<h1 id="rejected-title" class="center">Access refused</h1>
<p class="lede center">An admin has not given <strong>${person.name}</strong> (${person.email}) access to odoo-sync.${contact}</p>
<p class="center"><button type="button" class="button button-quiet" data-signout>Sign out</button></p>
</section>`;
}
