/**
 * `<odoo-sync-profile>`: who I am, my role, and my link to Odoo, with "Link to Odoo".
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { OdooSyncApiError } from '../api.js';
import { errorBox, OdooSyncElement, timeTag } from '../base.js';
import { readLinkNames, type OdooLinkNames } from './odoo-names.js';
import { pageStyles } from './page-styles.js';
import { howMatched, linkKind, ownLinkExplanation, type OdooLinkView } from './words.js';

/** The caller as `GET /api/auth/me` answers. */
interface Me {
  user: {
    id: string;
    email: string;
    name: string;
    role: 'admin' | 'user';
    status: 'pending' | 'approved' | 'rejected';
    odooLink: OdooLinkView | null;
    otherEmails: string[];
  };
  authMethod: string;
}

/** A person in Odoo proposed when linking failed (`error.details.suggestions`). */
interface Suggestion {
  name: string;
  email: string | null;
  odooUserId?: number;
  employeeId?: number;
}

type Loaded = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; me: Me; names: OdooLinkNames | null };

type Relink = { state: 'idle' } | { state: 'busy' } | { state: 'linked'; message: string } | { state: 'refused'; error: OdooSyncApiError | Error };

const STATUS_WORDS = { approved: 'Approved', pending: 'Waiting for approval', rejected: 'Not allowed' } as const;

function suggestionsOf(error: unknown): Suggestion[] {
  if (!(error instanceof OdooSyncApiError)) return [];
  const raw = error.details['suggestions'];
  if (!Array.isArray(raw)) return [];
  return raw.filter((s): s is Suggestion => typeof s === 'object' && s !== null && typeof (s as { name?: unknown }).name === 'string');
}

/**
 * The signed-in person's profile: name, e-mail, role, approval, and their link to Odoo (user,
 * employee, how it was matched). "Link to Odoo" (`POST /api/auth/relink-odoo`) links them
 * again; when nobody or several people fit, the page shows the reason and the people Odoo
 * suggests. A link an admin made — or an admin's "not in Odoo" — is explained, not offered
 * for relinking.
 *
 * Attributes: `base-url`, `credentials` (see {@link OdooSyncElement}).
 *
 * @example
 * ```html
 * <odoo-sync-profile></odoo-sync-profile>
 * ```
 */
export class OdooSyncProfile extends OdooSyncElement {
  /** @internal */
  static override properties = {
    ...OdooSyncElement.properties,
    loaded: { state: true },
    relink: { state: true },
  };

  /** @internal */
  static override styles = [...OdooSyncElement.styles, pageStyles];

  declare protected loaded: Loaded;
  declare protected relink: Relink;

  constructor() {
    super();
    this.loaded = { state: 'loading' };
    this.relink = { state: 'idle' };
  }

  /** @internal */
  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Reads the profile again (after a change made elsewhere). */
  async load(): Promise<void> {
    try {
      const me = await this.api.get<Me>('/api/auth/me');
      const link = me.user.odooLink;
      const names = link && me.user.status === 'approved' && linkKind(link) !== 'not_in_odoo' ? await readLinkNames(this.api, link) : null;
      this.loaded = { state: 'ready', me, names };
    } catch (error) {
      this.loaded = { state: 'failed', error };
    }
  }

  async #relink(): Promise<void> {
    this.relink = { state: 'busy' };
    try {
      const answer = await this.api.post<{ message: string; user: Me['user'] }>('/api/auth/relink-odoo', {});
      const names = await readLinkNames(this.api, answer.user.odooLink ?? { odooUserId: null, employeeId: null });
      if (this.loaded.state === 'ready') this.loaded = { state: 'ready', me: { ...this.loaded.me, user: answer.user }, names };
      this.relink = { state: 'linked', message: answer.message };
    } catch (error) {
      this.relink = { state: 'refused', error: error instanceof Error ? error : new Error(String(error)) };
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#relink-result')?.focus();
  }

  /** @internal */
  override render(): TemplateResult {
    const loaded = this.loaded;
    if (loaded.state === 'loading') return html`<p class="muted" role="status">Loading your profile…</p>`;
    if (loaded.state === 'failed') return errorBox(loaded.error, 'Your profile could not be loaded.');
    const { user } = loaded.me;
    return html`
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">Your profile</h2>
        <dl class="facts">
          <dt>Name</dt>
          <dd>${user.name || '—'}</dd>
          <dt>E-mail</dt>
          <dd>${user.email}</dd>
          ${user.otherEmails.length > 0 ? html`<dt>Other addresses</dt><dd>${user.otherEmails.join(', ')}</dd>` : nothing}
          <dt>Role</dt>
          <dd>${user.role === 'admin' ? 'Admin' : 'User'}</dd>
          <dt>Status</dt>
          <dd>${STATUS_WORDS[user.status]}</dd>
        </dl>
      </section>
      <section aria-labelledby="odoo-title" class="card">
        <h3 id="odoo-title">Odoo link</h3>
        ${this.#renderLink(loaded.me, loaded.names)}
      </section>
    `;
  }

  #renderLink(me: Me, names: OdooLinkNames | null): TemplateResult {
    const { user } = me;
    if (user.status !== 'approved') {
      return html`<p>${user.status === 'pending' ? 'You can link your account to Odoo once an admin has approved it.' : 'Your account is not allowed to use this server.'}</p>`;
    }
    const link = user.odooLink;
    const explanation = ownLinkExplanation(link);
    const kind = linkKind(link);
    const busy = this.relink.state === 'busy';
    return html`
      ${link && (kind === 'automatic' || kind === 'manual')
        ? html`<dl class="facts">
            ${link.employeeId !== null
              ? html`<dt>Employee</dt>
                  <dd>
                    ${names?.employee
                      ? html`${names.employee.name}${names.employee.jobTitle ? html`<span class="muted"> — ${names.employee.jobTitle}</span>` : nothing}${names.employee.department
                          ? html`<span class="muted">, ${names.employee.department}</span>`
                          : nothing}`
                      : html`#${link.employeeId}`}
                  </dd>`
              : nothing}
            ${link.odooUserId !== null ? html`<dt>Odoo user</dt><dd>${names?.odooUserName ? `${names.odooUserName} (#${link.odooUserId})` : `#${link.odooUserId}`}</dd>` : nothing}
            <dt>How</dt>
            <dd>${howMatched(link)}</dd>
            <dt>Linked</dt>
            <dd>${timeTag(link.linkedAt, this.now())}</dd>
          </dl>`
        : nothing}
      <p>${explanation.text}</p>
      ${explanation.canRelink
        ? html`<div class="row">
            <button type="button" @click=${() => void this.#relink()} ?disabled=${busy} aria-describedby="odoo-title">
              ${busy ? 'Linking…' : kind === 'none' ? 'Link to Odoo' : 'Link to Odoo again'}
            </button>
          </div>`
        : nothing}
      ${this.#renderRelinkResult()}
    `;
  }

  #renderRelinkResult(): TemplateResult | typeof nothing {
    const relink = this.relink;
    if (relink.state === 'linked') {
      return html`<div id="relink-result" class="success panel" role="status" tabindex="-1">${relink.message}</div>`;
    }
    if (relink.state !== 'refused') return nothing;
    const suggestions = suggestionsOf(relink.error);
    return html`<div id="relink-result" class="panel" tabindex="-1">
      ${errorBox(relink.error, 'Not linked.')}
      ${suggestions.length > 0
        ? html`<p><strong>People in Odoo who may be you:</strong></p>
            <ul class="plain" aria-label="Suggestions">
              ${suggestions.map(
                (s) => html`<li>
                  ${s.name}${s.email ? html` <span class="muted">&lt;${s.email}&gt;</span>` : nothing}
                  <span class="muted">${[s.employeeId !== undefined ? `employee #${s.employeeId}` : '', s.odooUserId !== undefined ? `Odoo user #${s.odooUserId}` : ''].filter(Boolean).join(', ')}</span>
                </li>`,
              )}
            </ul>
            <p class="muted">If one of them is you, ask an admin to link you to them.</p>`
        : nothing}
    </div>`;
  }
}
