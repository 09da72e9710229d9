/**
 * `<odoo-sync-admin-people>`: the people who signed in — approve or reject, role, and their
 * link to Odoo (set by hand from a candidate search, "not in Odoo", or removed).
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { errorBox, OdooSyncElement, timeTag } from '../base.js';
import { CandidateSearch, type OdooCandidate } from './candidate-search.js';
import { linkSummary, readLinkNames, type OdooLinkNames } from './odoo-names.js';
import { pageStyles } from './page-styles.js';
import { howMatched, linkKind, peopleInOrder, type OdooLinkView } from './words.js';

/** A user as the admin routes answer. */
interface Person {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'user';
  status: 'pending' | 'approved' | 'rejected';
  odooLink: OdooLinkView | null;
  createdAt: string;
}

type Loaded = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; people: Person[]; more: boolean };

/** Most pages of users read at once (1000 each). */
const MAX_PAGES = 10;

const STATUS_BADGE = {
  pending: { text: 'Waiting for approval', tone: 'warn' },
  approved: { text: 'Approved', tone: 'ok' },
  rejected: { text: 'Rejected', tone: 'error' },
} as const;

/** A stable, selector-safe id for a person's card. */
function cardId(person: Pick<Person, 'id'>): string {
  return `person-${person.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * The admin's list of people, those waiting for approval first: approve or reject each one,
 * make them admin or user, and override their link to Odoo by hand — search the synced Odoo
 * users and employees and pick one, mark them "not in Odoo" (nothing links them
 * automatically), or remove the link. Every result is announced; the focus returns to the
 * person's name after each change.
 *
 * Attributes: `base-url`, `credentials`.
 *
 * @example
 * ```html
 * <odoo-sync-admin-people></odoo-sync-admin-people>
 * ```
 */
export class OdooSyncAdminPeople extends OdooSyncElement {
  /** @internal */
  static override properties = {
    ...OdooSyncElement.properties,
    loaded: { state: true },
    names: { state: true },
    busy: { state: true },
    editing: { state: true },
    announcement: { state: true },
    failure: { state: true },
    filter: { state: true },
  };

  /** @internal */
  static override styles = [...OdooSyncElement.styles, pageStyles];

  declare protected loaded: Loaded;
  declare protected names: ReadonlyMap<string, OdooLinkNames>;
  declare protected busy: string | null;
  declare protected editing: string | null;
  declare protected announcement: string;
  declare protected failure: { personId: string; error: unknown } | null;
  declare protected filter: string;
  readonly #search = new CandidateSearch(this, () => this.api);

  constructor() {
    super();
    this.loaded = { state: 'loading' };
    this.names = new Map();
    this.busy = null;
    this.editing = null;
    this.announcement = '';
    this.failure = null;
    this.filter = '';
  }

  /** @internal */
  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Reads the people again. */
  async load(): Promise<void> {
    try {
      const people: Person[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: Person[]; nextCursor: string | null } = await this.api.get('/api/admin/users', { limit: 1000, cursor });
        people.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null && ++pages < MAX_PAGES);
      this.loaded = { state: 'ready', people, more: cursor !== null };
      await Promise.all(people.map((p) => this.#readNames(p)));
    } catch (error) {
      this.loaded = { state: 'failed', error };
    }
  }

  async #readNames(person: Person): Promise<void> {
    const link = person.odooLink;
    if (!link || linkKind(link) === 'not_in_odoo') return;
    const names = await readLinkNames(this.api, link);
    this.names = new Map(this.names).set(person.id, names);
  }

  /** Runs one change of `person`, then puts the answer in the list, says so, and focuses their name. */
  async #change(person: Person, what: (id: string) => Promise<Person>, done: (updated: Person) => string): Promise<void> {
    this.busy = person.id;
    this.failure = null;
    try {
      const updated = await what(encodeURIComponent(person.id));
      if (this.loaded.state === 'ready') {
        this.loaded = { ...this.loaded, people: this.loaded.people.map((p) => (p.id === updated.id ? updated : p)) };
      }
      await this.#readNames(updated);
      this.announcement = done(updated);
      if (this.editing === person.id) {
        this.editing = null;
        this.#search.reset();
      }
    } catch (error) {
      this.failure = { personId: person.id, error };
      this.announcement = '';
    } finally {
      this.busy = null;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${cardId(person)} h3`)?.focus();
  }

  #approve(p: Person): Promise<void> {
    return this.#change(p, (id) => this.api.post(`/api/admin/users/${id}/approve`), (u) => `${u.name || u.email} is approved.${u.odooLink ? ' Linked to Odoo.' : ''}`);
  }

  #reject(p: Person): Promise<void> {
    return this.#change(p, (id) => this.api.post(`/api/admin/users/${id}/reject`), (u) => `${u.name || u.email} is rejected.`);
  }

  #setRole(p: Person, role: 'admin' | 'user'): Promise<void> {
    return this.#change(p, (id) => this.api.put(`/api/admin/users/${id}/role`, { role }), (u) => `${u.name || u.email} is now ${u.role === 'admin' ? 'an admin' : 'a user'}.`);
  }

  #link(p: Person, c: OdooCandidate): Promise<void> {
    const body = { ...(c.odooUserId !== null ? { odooUserId: c.odooUserId } : {}), ...(c.employeeId !== null ? { employeeId: c.employeeId } : {}) };
    return this.#change(p, (id) => this.api.put(`/api/admin/users/${id}/odoo-link`, body), (u) => `${u.name || u.email} is linked to ${c.name} in Odoo.`);
  }

  #notInOdoo(p: Person): Promise<void> {
    return this.#change(p, (id) => this.api.put(`/api/admin/users/${id}/odoo-link`, { notInOdoo: true }), (u) => `${u.name || u.email} is marked as not in Odoo.`);
  }

  #unlink(p: Person): Promise<void> {
    return this.#change(p, (id) => this.api.delete(`/api/admin/users/${id}/odoo-link`), (u) => `${u.name || u.email} is no longer linked to Odoo.`);
  }

  async #toggleEditor(person: Person): Promise<void> {
    const opening = this.editing !== person.id;
    this.editing = opening ? person.id : null;
    this.#search.reset();
    await this.updateComplete;
    const target = opening ? `#${cardId(person)}-q` : `#${cardId(person)}-edit`;
    this.renderRoot.querySelector<HTMLElement>(target)?.focus();
  }

  /** @internal */
  override render(): TemplateResult {
    const loaded = this.loaded;
    return html`
      <section aria-labelledby="people-title" class="stack">
        <div class="row spread">
          <h2 id="people-title">People</h2>
          <button type="button" class="secondary" @click=${() => void this.load()}>Refresh</button>
        </div>
        <p role="status" aria-live="polite" class="success status-line">${this.announcement}</p>
        ${loaded.state === 'loading' ? html`<p class="muted">Loading people…</p>` : nothing}
        ${loaded.state === 'failed' ? errorBox(loaded.error, 'The people could not be loaded.') : nothing}
        ${loaded.state === 'ready' ? this.#renderList(loaded.people, loaded.more) : nothing}
      </section>
    `;
  }

  #renderList(all: readonly Person[], more: boolean): TemplateResult {
    const needle = this.filter.trim().toLowerCase();
    const shown = peopleInOrder(all.filter((p) => needle === '' || `${p.name} ${p.email}`.toLowerCase().includes(needle)));
    const pending = all.filter((p) => p.status === 'pending').length;
    return html`
      <div class="row spread">
        <label class="field">
          <span>Find a person</span>
          <input type="search" autocomplete="off" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.currentTarget as HTMLInputElement).value)} />
        </label>
        <p class="muted">${all.length} ${all.length === 1 ? 'person' : 'people'}${pending > 0 ? `, ${pending} waiting for approval` : ''}.</p>
      </div>
      ${more ? html`<p class="notice">Only the first ${all.length} people are shown.</p>` : nothing}
      ${shown.length === 0 ? html`<p class="muted">Nobody ${needle ? 'matches' : 'has signed in yet'}.</p>` : nothing}
      <ul class="cards" aria-labelledby="people-title">
        ${shown.map((p) => this.#renderPerson(p))}
      </ul>
    `;
  }

  #renderPerson(p: Person): TemplateResult {
    const id = cardId(p);
    const busy = this.busy !== null;
    const status = STATUS_BADGE[p.status];
    const who = p.name || p.email;
    return html`<li class="card stack" id=${id} data-user-id=${p.id}>
      <div class="row spread">
        <div>
          <h3 id=${`${id}-name`} tabindex="-1">${who}</h3>
          <div class="meta">${p.email} · signed up ${timeTag(p.createdAt, this.now())}</div>
        </div>
        <div class="row">
          <span class=${`badge ${status.tone}`}>${status.text}</span>
          <span class="badge neutral">${p.role === 'admin' ? 'Admin' : 'User'}</span>
        </div>
      </div>
      <div>${this.#renderLink(p)}</div>
      <div class="row" role="group" aria-label=${`Actions for ${who}`}>
        ${p.status !== 'approved' ? html`<button type="button" ?disabled=${busy} @click=${() => void this.#approve(p)}>Approve</button>` : nothing}
        ${p.status !== 'rejected' ? html`<button type="button" class="danger secondary" ?disabled=${busy} @click=${() => void this.#reject(p)}>Reject</button>` : nothing}
        ${p.role === 'user'
          ? html`<button type="button" class="secondary" ?disabled=${busy} @click=${() => void this.#setRole(p, 'admin')}>Make admin</button>`
          : html`<button type="button" class="secondary" ?disabled=${busy} @click=${() => void this.#setRole(p, 'user')}>Make user</button>`}
        <button type="button" class="secondary" id=${`${id}-edit`} aria-expanded=${this.editing === p.id ? 'true' : 'false'} aria-controls=${`${id}-panel`} @click=${() => void this.#toggleEditor(p)}>
          Change Odoo link
        </button>
      </div>
      ${this.failure?.personId === p.id ? errorBox(this.failure.error, `Could not change ${who}.`) : nothing}
      ${this.editing === p.id ? this.#renderEditor(p) : nothing}
    </li>`;
  }

  #renderLink(p: Person): TemplateResult {
    const link = p.odooLink;
    switch (linkKind(link)) {
      case 'none':
        return html`<span class="muted">Not linked to Odoo.</span>`;
      case 'not_in_odoo':
        return html`<span>Not in Odoo <span class="muted">(set by an admin: nothing links them automatically)</span></span>`;
      default: {
        const l = link as OdooLinkView;
        return html`<span>Odoo: ${linkSummary(l, this.names.get(p.id) ?? null)}</span> <span class="muted">— ${howMatched(l)}</span>`;
      }
    }
  }

  #renderEditor(p: Person): TemplateResult {
    const id = cardId(p);
    const busy = this.busy !== null;
    const kind = linkKind(p.odooLink);
    return html`<div class="panel stack" id=${`${id}-panel`} role="group" aria-label=${`Odoo link of ${p.name || p.email}`}>
      ${this.#search.render(id, p.name || p.email, (c) => void this.#link(p, c), busy)}
      <div class="row">
        ${kind !== 'not_in_odoo' ? html`<button type="button" class="secondary" ?disabled=${busy} @click=${() => void this.#notInOdoo(p)}>Not in Odoo</button>` : nothing}
        ${kind !== 'none' ? html`<button type="button" class="danger secondary" ?disabled=${busy} @click=${() => void this.#unlink(p)}>Remove link</button>` : nothing}
        <button type="button" class="link" @click=${() => void this.#toggleEditor(p)}>Close</button>
      </div>
    </div>`;
  }
}
