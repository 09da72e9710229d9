/**
 * `<odoo-sync-records entity="accounts">`: synced records with search, paging and "Show archived".
 * @module
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { errorBox, OdooSyncElement } from '../base.js';
import { pageStyles } from './page-styles.js';
import { inactiveLabel, recordKind, type RecordKind, type RecordView } from './record-columns.js';

type Loaded = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; items: RecordView[]; nextCursor: string | null };

/**
 * A table of synced Odoo records — accounts, contacts, opportunities or invoices (or an
 * entity defined with a `route`) — with a search box, previous/next pages, and a "Show archived"
 * switch: archived and deleted records are hidden by default and labelled "Archived" or
 * "Deleted in Odoo" when shown.
 *
 * Attributes: `entity` (the API path: `accounts`, `contacts`, `opportunities`, `invoices`),
 * `page-size` (1–200, default 25), `base-url`, `credentials`.
 *
 * @example
 * ```html
 * <odoo-sync-records entity="opportunities" page-size="50"></odoo-sync-records>
 * ```
 */
export class OdooSyncRecords extends OdooSyncElement {
  /** @internal */
  static override properties = {
    ...OdooSyncElement.properties,
    entity: { type: String },
    pageSize: { type: Number, attribute: 'page-size' },
    loaded: { state: true },
    query: { state: true },
    showInactive: { state: true },
    cursors: { state: true },
  };

  /** @internal */
  static override styles = [...OdooSyncElement.styles, pageStyles];

  /** The API path of the records (attribute `entity`): `accounts`, `contacts`, `opportunities`, `invoices`. */
  declare entity: string;
  /** Records per page (attribute `page-size`), 1–200. @default 25 */
  declare pageSize: number;
  declare protected loaded: Loaded;
  declare protected query: string;
  declare protected showInactive: boolean;
  /** The cursor of each page shown so far (`null`: the first page); the last one is the current page. */
  declare protected cursors: (string | null)[];
  #request = 0;

  constructor() {
    super();
    this.entity = 'accounts';
    this.pageSize = 25;
    this.loaded = { state: 'loading' };
    this.query = '';
    this.showInactive = false;
    this.cursors = [null];
  }

  get #kind(): RecordKind | null {
    return recordKind(this.entity);
  }

  get #limit(): number {
    const size = Math.trunc(Number(this.pageSize));
    return Number.isFinite(size) ? Math.min(200, Math.max(1, size)) : 25;
  }

  /** @internal */
  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('entity') || changed.has('pageSize') || changed.has('baseUrl') || changed.has('credentials')) {
      this.cursors = [null];
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const request = ++this.#request;
    const kind = this.#kind;
    if (kind === null) {
      this.loaded = { state: 'failed', error: new Error(`"${this.entity}" is not a kind of record (set entity to accounts, contacts, opportunities or invoices).`) };
      return;
    }
    this.loaded = { state: 'loading' };
    try {
      const page = await this.api.get<{ items: RecordView[]; nextCursor: string | null }>(`/api/${this.entity}`, {
        q: this.query.trim() || undefined,
        include: this.showInactive ? 'inactive' : undefined,
        limit: this.#limit,
        cursor: this.cursors[this.cursors.length - 1] ?? undefined,
      });
      if (request === this.#request) this.loaded = { state: 'ready', items: page.items, nextCursor: page.nextCursor };
    } catch (error) {
      if (request === this.#request) this.loaded = { state: 'failed', error };
    }
  }

  #search(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector('input');
    this.query = input?.value ?? '';
    this.cursors = [null];
    void this.#load();
  }

  #toggle(event: Event): void {
    this.showInactive = (event.currentTarget as HTMLInputElement).checked;
    this.cursors = [null];
    void this.#load();
  }

  async #page(direction: 1 | -1): Promise<void> {
    if (direction === 1 && this.loaded.state === 'ready' && this.loaded.nextCursor) this.cursors = [...this.cursors, this.loaded.nextCursor];
    else if (direction === -1 && this.cursors.length > 1) this.cursors = this.cursors.slice(0, -1);
    else return;
    await this.#load();
    await this.updateComplete;
    // The button pressed may be gone (first or last page): the table's caption takes the focus.
    this.renderRoot.querySelector<HTMLElement>('caption')?.focus();
  }

  /** @internal */
  override render(): TemplateResult {
    const kind = this.#kind;
    const plural = kind?.plural ?? 'records';
    const title = plural.charAt(0).toUpperCase() + plural.slice(1);
    return html`
      <section aria-labelledby="records-title" class="stack">
        <h2 id="records-title">${title}</h2>
        <div class="row spread">
          <form class="inline" role="search" aria-label=${`Search ${plural}`} @submit=${(e: SubmitEvent) => this.#search(e)}>
            <label class="field">
              <span>Search ${plural}</span>
              <input type="search" name="q" maxlength="200" .value=${this.query} autocomplete="off" />
            </label>
            <button type="submit">Search</button>
          </form>
          <label class="check">
            <input type="checkbox" .checked=${this.showInactive} @change=${(e: Event) => this.#toggle(e)} />
            Show archived
          </label>
        </div>
        ${this.#renderTable(kind, plural)}
      </section>
    `;
  }

  #renderTable(kind: RecordKind | null, plural: string): TemplateResult {
    const loaded = this.loaded;
    if (loaded.state === 'failed') return errorBox(loaded.error, `The ${plural} could not be loaded.`);
    const pageNumber = this.cursors.length;
    const summary =
      loaded.state === 'loading'
        ? `Loading ${plural}…`
        : loaded.items.length === 0
          ? this.query.trim()
            ? `No ${plural} match “${this.query.trim()}”.`
            : `No ${plural} yet.`
          : `${plural.charAt(0).toUpperCase() + plural.slice(1)}, page ${pageNumber}: ${loaded.items.length} shown${this.showInactive ? ', archived and deleted included' : ''}.`;
    const columns = kind?.columns ?? [];
    return html`
      <p class="visually-hidden" role="status" aria-live="polite">${summary}</p>
      <div class="table-wrap" role="region" aria-labelledby="records-caption" tabindex="0">
        <table aria-busy=${loaded.state === 'loading' ? 'true' : 'false'}>
          <caption id="records-caption" tabindex="-1">${summary}</caption>
          <thead>
            <tr>
              ${columns.map((c) => html`<th scope="col" class=${[c.numeric ? 'num' : '', c.secondary ? 'secondary-col' : ''].join(' ')}>${c.label}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${loaded.state === 'ready'
              ? loaded.items.map((record) => {
                  const label = inactiveLabel(record);
                  return html`<tr class=${label ? 'inactive' : ''} data-odoo-id=${record.odooId}>
                    ${columns.map((c, index) => {
                      const className = [c.numeric ? 'num' : '', c.secondary ? 'secondary-col' : ''].join(' ');
                      const value = c.value(record.data);
                      if (index > 0) return html`<td class=${className}>${value}</td>`;
                      return html`<th scope="row" class=${className}>
                        ${value || html`<span class="muted">#${record.odooId}</span>`}
                        ${label ? html` <span class=${`badge ${record.inactiveReason === 'deleted' ? 'error' : 'neutral'}`}>${label}</span>` : nothing}
                      </th>`;
                    })}
                  </tr>`;
                })
              : nothing}
          </tbody>
        </table>
      </div>
      <nav class="row spread" aria-label=${`Pages of ${plural}`}>
        <button type="button" class="secondary" ?disabled=${pageNumber <= 1 || loaded.state === 'loading'} @click=${() => void this.#page(-1)}>Previous page</button>
        <span class="muted">Page ${pageNumber}</span>
        <button type="button" class="secondary" ?disabled=${loaded.state !== 'ready' || loaded.nextCursor === null} @click=${() => void this.#page(1)}>Next page</button>
      </nav>
    `;
  }
}
