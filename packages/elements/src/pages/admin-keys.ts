/**
 * `<odoo-sync-admin-keys>`: API keys — create one (shown once), list them, revoke one.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { errorBox, OdooSyncElement, timeTag } from '../base.js';
import { pageStyles } from './page-styles.js';

/** An API key as `GET /api/admin/api-keys` lists it (never the key itself). */
interface ApiKeyView {
  id: string;
  userId: string;
  email: string;
  role: 'admin' | 'user';
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An approved person who may own a key. */
interface Owner {
  id: string;
  email: string;
  name: string;
  status: 'pending' | 'approved' | 'rejected';
}

type Loaded = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; keys: ApiKeyView[]; owners: Owner[] };

/** Longest label the form takes. */
const LABEL_MAX = 100;

function keyRowId(key: Pick<ApiKeyView, 'id'>): string {
  return `key-${key.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * The admin's API keys: create a key for an approved person with a label (the key is shown
 * once, with a copy button and a warning), list every key with its owner and when it was last
 * used, and revoke one after confirming — it stops working at once.
 *
 * Attributes: `base-url`, `credentials`.
 *
 * @example
 * ```html
 * <odoo-sync-admin-keys></odoo-sync-admin-keys>
 * ```
 */
export class OdooSyncAdminKeys extends OdooSyncElement {
  /** @internal */
  static override properties = {
    ...OdooSyncElement.properties,
    loaded: { state: true },
    created: { state: true },
    confirming: { state: true },
    busy: { state: true },
    announcement: { state: true },
    failure: { state: true },
    formError: { state: true },
  };

  /** @internal */
  static override styles = [...OdooSyncElement.styles, pageStyles];

  declare protected loaded: Loaded;
  declare protected created: { key: string; apiKey: ApiKeyView } | null;
  declare protected confirming: string | null;
  declare protected busy: boolean;
  declare protected announcement: string;
  declare protected failure: { where: 'create' | string; error: unknown } | null;
  declare protected formError: string | null;

  constructor() {
    super();
    this.loaded = { state: 'loading' };
    this.created = null;
    this.confirming = null;
    this.busy = false;
    this.announcement = '';
    this.failure = null;
    this.formError = null;
  }

  /** @internal */
  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Reads the keys and the people who may own one. */
  async load(): Promise<void> {
    try {
      const [keys, users] = await Promise.all([
        this.api.get<{ items: ApiKeyView[] }>('/api/admin/api-keys'),
        this.api.get<{ items: Owner[] }>('/api/admin/users', { status: 'approved', limit: 1000 }),
      ]);
      this.loaded = { state: 'ready', keys: keys.items, owners: users.items };
    } catch (error) {
      this.loaded = { state: 'failed', error };
    }
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const userId = String(data.get('userId') ?? '');
    const label = String(data.get('label') ?? '').trim();
    if (label === '') {
      this.formError = 'Give the key a label: what or who will use it.';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#key-label')?.focus();
      return;
    }
    this.formError = null;
    this.failure = null;
    this.busy = true;
    try {
      const answer = await this.api.post<{ key: string; apiKey: ApiKeyView }>('/api/admin/api-keys', { userId, label });
      this.created = answer;
      if (this.loaded.state === 'ready') this.loaded = { ...this.loaded, keys: [...this.loaded.keys, answer.apiKey] };
      this.announcement = `Key “${answer.apiKey.label}” created for ${answer.apiKey.email}. Copy it now: it is shown only once.`;
      form.reset();
    } catch (error) {
      this.failure = { where: 'create', error };
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(this.created ? '#new-key' : '#key-label')?.focus();
  }

  async #copy(): Promise<void> {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#new-key');
    if (!this.created || !input) return;
    try {
      await navigator.clipboard.writeText(this.created.key);
      this.announcement = 'Key copied to the clipboard.';
    } catch {
      // No clipboard permission (an embedding page, an old browser): select it for Ctrl+C.
      input.focus();
      input.select();
      this.announcement = 'Copying is not allowed here: the key is selected, press Ctrl+C (⌘C) to copy it.';
    }
  }

  async #dismissKey(): Promise<void> {
    this.created = null;
    this.announcement = 'The new key is hidden now.';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#keys-title')?.focus();
  }

  async #askRevoke(key: ApiKeyView): Promise<void> {
    this.confirming = key.id;
    this.failure = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${keyRowId(key)}-confirm`)?.focus();
  }

  async #cancelRevoke(key: ApiKeyView): Promise<void> {
    this.confirming = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${keyRowId(key)}-revoke`)?.focus();
  }

  async #revoke(key: ApiKeyView): Promise<void> {
    this.busy = true;
    try {
      const revoked = await this.api.delete<ApiKeyView>(`/api/admin/api-keys/${encodeURIComponent(key.id)}`);
      if (this.loaded.state === 'ready') this.loaded = { ...this.loaded, keys: this.loaded.keys.map((k) => (k.id === revoked.id ? revoked : k)) };
      if (this.created?.apiKey.id === key.id) this.created = null;
      this.confirming = null;
      this.announcement = `Key “${revoked.label}” of ${revoked.email} is revoked: it no longer works.`;
    } catch (error) {
      this.failure = { where: key.id, error };
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${keyRowId(key)}-label`)?.focus();
  }

  /** @internal */
  override render(): TemplateResult {
    const loaded = this.loaded;
    return html`
      <section aria-labelledby="keys-title" class="stack">
        <h2 id="keys-title" tabindex="-1">API keys</h2>
        <p class="muted">Programs call the API with a key (<code>Authorization: Bearer …</code>). A key acts as its owner, with their role.</p>
        <p role="status" aria-live="polite" class="success status-line">${this.announcement}</p>
        ${loaded.state === 'loading' ? html`<p class="muted">Loading keys…</p>` : nothing}
        ${loaded.state === 'failed' ? errorBox(loaded.error, 'The API keys could not be loaded.') : nothing}
        ${loaded.state === 'ready' ? html`${this.#renderCreate(loaded.owners)} ${this.#renderKeys(loaded.keys)}` : nothing}
      </section>
    `;
  }

  #renderCreate(owners: readonly Owner[]): TemplateResult {
    const created = this.created;
    return html`<div class="card stack">
      <h3>Create a key</h3>
      <form class="inline" @submit=${(e: SubmitEvent) => void this.#create(e)} novalidate>
        <label class="field">
          <span>Owner</span>
          <select name="userId" required>
            ${owners.map((o) => html`<option value=${o.id}>${o.name ? `${o.name} <${o.email}>` : o.email}</option>`)}
          </select>
        </label>
        <label class="field">
          <span>Label</span>
          <input
            id="key-label"
            name="label"
            maxlength=${LABEL_MAX}
            required
            autocomplete="off"
            placeholder="e.g. reporting script"
            aria-invalid=${this.formError ? 'true' : 'false'}
            aria-describedby=${this.formError ? 'key-label-error' : nothing}
          />
        </label>
        <button type="submit" ?disabled=${this.busy || owners.length === 0}>Create key</button>
      </form>
      ${this.formError ? html`<p id="key-label-error" class="field-error">${this.formError}</p>` : nothing}
      ${this.failure?.where === 'create' ? errorBox(this.failure.error, 'The key was not created.') : nothing}
      ${created
        ? html`<div class="notice stack" role="group" aria-labelledby="new-key-title">
            <p id="new-key-title"><strong>Copy this key now: it will not be shown again.</strong> Store it like a password; anyone who has it acts as ${created.apiKey.email}.</p>
            <label class="field">
              <span>New key “${created.apiKey.label}”</span>
              <input id="new-key" class="secret" readonly .value=${created.key} @focus=${(e: FocusEvent) => (e.currentTarget as HTMLInputElement).select()} />
            </label>
            <div class="row">
              <button type="button" @click=${() => void this.#copy()}>Copy key</button>
              <button type="button" class="secondary" @click=${() => void this.#dismissKey()}>I have copied it</button>
            </div>
          </div>`
        : nothing}
    </div>`;
  }

  #renderKeys(keys: readonly ApiKeyView[]): TemplateResult {
    const active = keys.filter((k) => k.revokedAt === null).length;
    return html`<div class="stack">
      <h3>All keys <span class="muted">(${active} working, ${keys.length - active} revoked)</span></h3>
      ${keys.length === 0 ? html`<p class="muted">No keys yet.</p>` : nothing}
      <ul class="cards" aria-label="API keys">
        ${keys.map((k) => this.#renderKey(k))}
      </ul>
    </div>`;
  }

  #renderKey(k: ApiKeyView): TemplateResult {
    const id = keyRowId(k);
    const now = this.now();
    return html`<li class="card stack" id=${id} data-key-id=${k.id}>
      <div class="row spread">
        <div>
          <h4 id=${`${id}-label`} tabindex="-1" class="key-label">${k.label}</h4>
          <div class="meta">${k.email} · ${k.role === 'admin' ? 'Admin' : 'User'}</div>
        </div>
        ${k.revokedAt ? html`<span class="badge error">Revoked</span>` : html`<span class="badge ok">Working</span>`}
      </div>
      <div class="meta">
        Created ${timeTag(k.createdAt, now)} · ${k.lastUsedAt ? html`last used ${timeTag(k.lastUsedAt, now)}` : 'never used'}${k.revokedAt ? html` · revoked ${timeTag(k.revokedAt, now)}` : nothing}
      </div>
      ${k.revokedAt === null && this.confirming !== k.id
        ? html`<div class="row"><button type="button" class="danger secondary" id=${`${id}-revoke`} ?disabled=${this.busy} @click=${() => void this.#askRevoke(k)} aria-label=${`Revoke key ${k.label}`}>Revoke</button></div>`
        : nothing}
      ${this.confirming === k.id
        ? html`<div class="panel stack" role="group" aria-labelledby=${`${id}-question`}>
            <p id=${`${id}-question`}><strong>Revoke “${k.label}” of ${k.email}?</strong> Programs using it stop working at once. This cannot be undone.</p>
            <div class="row">
              <button type="button" class="danger" id=${`${id}-confirm`} ?disabled=${this.busy} @click=${() => void this.#revoke(k)}>Revoke key</button>
              <button type="button" class="secondary" @click=${() => void this.#cancelRevoke(k)}>Cancel</button>
            </div>
          </div>`
        : nothing}
      ${this.failure?.where === k.id ? errorBox(this.failure.error, 'The key was not revoked.') : nothing}
    </li>`;
  }
}
