/**
 * `<odoo-sync-timeline>`: the activity timeline.
 * @module
 */
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { OdooSyncApiError } from '../api.js';
import { themeStyles } from '../styles.js';
import { errorBox, OdooSyncElement, TickController, timeTag, type CurrentUser } from '../base.js';
import { ACTIVITY_TYPE_GROUPS, activityTypeLabel, filterQuery, hasFilters, isActivityPage, parseTypes, type Activity, type TimelineFilters } from './model.js';

const ENTITY_TYPES: readonly (readonly [string, string])[] = [
  ['opportunity', 'Opportunity'],
  ['account', 'Account'],
  ['contact', 'Contact'],
  ['invoice', 'Invoice'],
  ['employee', 'Employee'],
  ['odoo_user', 'Odoo user'],
  ['user', 'Person'],
  ['api_key', 'API key'],
  ['sync', 'Sync'],
];

/**
 * `<odoo-sync-timeline>` lists what happened — in odoo-sync and in Odoo — newest first, with
 * filters (type, person, date range, entity, source, text), more as you scroll (a "Load more"
 * button too), a badge for where it happened, and "Download CSV" of the filtered activities
 * for admins.
 *
 * Attributes: `base-url`, `credentials` (see {@link OdooSyncElement}); the starting filters
 * `type` (comma-separated), `user-id`, `from`, `to` (ISO date-time or `YYYY-MM-DD`),
 * `entity-type`, `entity-id`, `source` (`app` or `odoo`), `q`; `page-size` (1–200, default
 * 50); `no-filters` hides the filter form (e.g. for one opportunity's timeline).
 *
 * Events: `odoo-sync-reauth` when the server says to sign in again.
 */
export class OdooSyncTimeline extends OdooSyncElement {
  /** @internal */
  static override properties = {
    type: { type: String },
    userId: { type: String, attribute: 'user-id' },
    from: { type: String },
    to: { type: String },
    entityType: { type: String, attribute: 'entity-type' },
    entityId: { type: String, attribute: 'entity-id' },
    source: { type: String },
    q: { type: String },
    pageSize: { type: Number, attribute: 'page-size' },
    noFilters: { type: Boolean, attribute: 'no-filters' },
    items: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    error: { state: true },
    user: { state: true },
  };

  /** @internal */
  static override styles = [
    themeStyles,
    css`
      h2 { font-size: 1.1em; margin: 0 0 8px; }
      form { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; margin-bottom: var(--_space); }
      label { display: flex; flex-direction: column; gap: 2px; font-size: 0.9em; color: var(--_muted); }
      .form-actions { display: flex; gap: 8px; }
      .toolbar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 8px; margin-bottom: 8px; }
      ol { list-style: none; margin: 0; padding: 0; }
      li.activity { display: grid; grid-template-columns: 1fr auto; gap: 2px 12px; padding: 8px 0; border-bottom: 1px solid var(--_border); }
      .title { font-weight: 600; overflow-wrap: anywhere; }
      .meta { grid-column: 1 / -1; color: var(--_muted); font-size: 0.9em; display: flex; flex-wrap: wrap; gap: 4px 12px; }
      .badge.source-odoo { color: var(--_accent); }
      .badge.source-app { color: var(--_muted); }
      .more { display: flex; justify-content: center; padding: var(--_space); }
      .sentinel { height: 1px; }
      .empty { padding: var(--_space) 0; }
    `,
  ];

  /** Starting type filter (attribute `type`): one type or several, comma-separated. */
  declare type: string;
  /** Starting person filter (attribute `user-id`). */
  declare userId: string;
  /** Starting "on or after" filter (attribute `from`). */
  declare from: string;
  /** Starting "before" filter (attribute `to`). */
  declare to: string;
  /** Starting entity type filter (attribute `entity-type`). */
  declare entityType: string;
  /** Starting entity id filter (attribute `entity-id`). */
  declare entityId: string;
  /** Starting source filter (attribute `source`): `app` or `odoo`. */
  declare source: string;
  /** Starting title text filter (attribute `q`). */
  declare q: string;
  /** Activities per page (attribute `page-size`), 1–200. @default 50 */
  declare pageSize: number;
  /** Hides the filter form (attribute `no-filters`). */
  declare noFilters: boolean;
  declare private items: Activity[];
  declare private nextCursor: string | null;
  declare private loading: boolean;
  declare private error: unknown;
  declare private user: CurrentUser | null;
  #filters: TimelineFilters;
  #people = new Map<string, string>();
  #generation = 0;
  #abort: AbortController | undefined;
  #observer: IntersectionObserver | undefined;
  #loadedOnce = false;

  constructor() {
    super();
    this.type = '';
    this.userId = '';
    this.from = '';
    this.to = '';
    this.entityType = '';
    this.entityId = '';
    this.source = '';
    this.q = '';
    this.pageSize = 50;
    this.noFilters = false;
    this.items = [];
    this.nextCursor = null;
    this.loading = false;
    this.error = null;
    this.user = null;
    this.#filters = this.#attributeFilters();
    new TickController(this, 30_000);
  }

  /** The filters in force (from the attributes, then the filter form). */
  get filters(): Readonly<TimelineFilters> {
    return this.#filters;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.currentUser().then((user) => {
      this.user = user;
      if (user) this.#people.set(user.id, user.name);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#abort?.abort();
    this.#generation += 1;
    this.#loadedOnce = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const filterProps = ['type', 'userId', 'from', 'to', 'entityType', 'entityId', 'source', 'q', 'pageSize', 'baseUrl', 'credentials'] as const;
    if (!this.#loadedOnce || filterProps.some((p) => changed.has(p))) {
      this.#loadedOnce = true;
      this.#filters = this.#attributeFilters();
      void this.reload();
    }
  }

  protected override updated(): void {
    const sentinel = this.renderRoot.querySelector('.sentinel');
    if (!sentinel || typeof IntersectionObserver === 'undefined') return;
    this.#observer ??= new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && this.nextCursor && !this.loading && !this.error) void this.loadMore();
    });
    // Observing again reports the sentinel's current visibility: a short page that leaves it in
    // view loads the next one without waiting for a scroll.
    this.#observer.disconnect();
    this.#observer.observe(sentinel);
  }

  #attributeFilters(): TimelineFilters {
    return {
      types: parseTypes(this.type),
      userId: this.userId ?? '',
      from: this.from ?? '',
      to: this.to ?? '',
      entityType: this.entityType ?? '',
      entityId: this.entityId ?? '',
      source: this.source === 'app' || this.source === 'odoo' ? this.source : '',
      q: this.q ?? '',
    };
  }

  /** Reads the first page again with the filters in force. */
  async reload(): Promise<void> {
    this.items = [];
    this.nextCursor = null;
    await this.#load(null);
  }

  /** Reads the next page, if there is one. */
  async loadMore(): Promise<void> {
    if (this.nextCursor && !this.loading) await this.#load(this.nextCursor);
  }

  async #load(cursor: string | null): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const limit = Number.isInteger(this.pageSize) && this.pageSize >= 1 && this.pageSize <= 200 ? this.pageSize : 50;
      const page = await this.api.get<unknown>('/api/activities', { ...filterQuery(this.#filters), limit, ...(cursor ? { cursor } : {}) }, abort.signal);
      if (generation !== this.#generation) return;
      if (!isActivityPage(page)) throw new OdooSyncApiError({ code: 'bad_response', status: 200, message: 'The activities answer is not one this timeline understands.' });
      for (const a of page.items) if (a.userId && a.userName) this.#people.set(a.userId, a.userName);
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = err;
    }
    this.loading = false;
  }

  #applyForm(event: Event): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string): string => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    this.#filters = {
      types: text('type') ? [text('type')] : [],
      userId: text('userId'),
      from: text('from'),
      to: text('to'),
      entityType: text('entityType'),
      entityId: text('entityId'),
      source: text('source'),
      q: text('q'),
    };
    void this.reload();
  }

  #clearForm(): void {
    this.#filters = { types: [], userId: '', from: '', to: '', entityType: '', entityId: '', source: '', q: '' };
    void this.reload();
  }

  protected override render(): TemplateResult {
    const now = this.now();
    const isAdmin = this.user?.role === 'admin';
    return html`<section class="card" aria-labelledby="title" aria-busy=${this.loading ? 'true' : 'false'}>
      <div class="toolbar">
        <h2 id="title">Activity</h2>
        ${isAdmin ? html`<a class="button secondary csv" href=${this.api.url('/api/activities/export.csv', filterQuery(this.#filters))} download>Download CSV</a>` : nothing}
      </div>
      ${this.noFilters ? nothing : this.#form()}
      ${this.items.length > 0
        ? html`<ol class="activities" aria-label="Activities, newest first">
            ${this.items.map((a) => this.#item(a, now))}
          </ol>`
        : nothing}
      ${this.error ? html`${errorBox(this.error, 'The activities could not be read.')}<div class="more"><button type="button" class="secondary retry" @click=${() => void (this.items.length > 0 ? this.#load(this.nextCursor) : this.reload())}>Try again</button></div>` : nothing}
      ${!this.loading && !this.error && this.items.length === 0
        ? html`<p class="empty muted">${hasFilters(this.#filters) ? 'No activity matches these filters.' : 'No activity yet.'}</p>`
        : nothing}
      <p class="visually-hidden" role="status">${this.loading ? 'Loading activities…' : `${this.items.length} activities shown${this.nextCursor ? ', more available' : ''}.`}</p>
      ${this.nextCursor && !this.error
        ? html`<div class="more">
            <button type="button" class="secondary load-more" ?disabled=${this.loading} @click=${() => void this.loadMore()}>${this.loading ? 'Loading…' : 'Load more'}</button>
          </div>`
        : nothing}
      ${this.loading && this.items.length === 0 ? html`<p class="muted" aria-hidden="true">Loading…</p>` : nothing}
      <div class="sentinel" aria-hidden="true"></div>
    </section>`;
  }

  #item(a: Activity, now: number): TemplateResult {
    return html`<li class="activity" data-id=${a.id} data-type=${a.activityType}>
      <span class="title">${a.title}</span>
      <span class="badge source-${a.source}" title=${a.source === 'odoo' ? 'Happened in Odoo' : 'Happened in odoo-sync'}>${a.source === 'odoo' ? 'Odoo' : 'App'}</span>
      <span class="meta">
        <span class="type">${activityTypeLabel(a.activityType)}</span>
        ${timeTag(a.timestamp, now)}
        <span class="who">${a.userName ?? (a.userId ? a.userId : 'System')}</span>
        ${a.entityType ? html`<span class="entity">${a.entityType}${a.entityId ? ` #${a.entityId}` : ''}</span>` : nothing}
      </span>
    </li>`;
  }

  #form(): TemplateResult {
    const f = this.#filters;
    const people = new Map(this.#people);
    if (f.userId && !people.has(f.userId)) people.set(f.userId, f.userId);
    const oneType = f.types.length === 1 ? f.types[0]! : '';
    const entityTypes = ENTITY_TYPES.some(([value]) => value === f.entityType) || f.entityType === '' ? ENTITY_TYPES : [...ENTITY_TYPES, [f.entityType, f.entityType] as const];
    return html`<form class="filters" @submit=${(e: Event) => this.#applyForm(e)} aria-label="Filter activities">
      <label>Type
        <select name="type">
          <option value="" ?selected=${oneType === ''}>${f.types.length > 1 ? `${f.types.length} types` : 'All types'}</option>
          ${ACTIVITY_TYPE_GROUPS.map(
            (g) => html`<optgroup label=${g.label}>${g.types.map(([value, label]) => html`<option value=${value} ?selected=${value === oneType}>${label}</option>`)}</optgroup>`,
          )}
        </select>
      </label>
      <label>Person
        <select name="userId">
          <option value="" ?selected=${f.userId === ''}>Anyone</option>
          ${[...people].map(([id, name]) => html`<option value=${id} ?selected=${id === f.userId}>${this.user?.id === id ? `${name} (me)` : name}</option>`)}
        </select>
      </label>
      <label>From <input type="date" name="from" .value=${f.from.slice(0, 10)} /></label>
      <label>To <input type="date" name="to" .value=${f.to.slice(0, 10)} /></label>
      <label>Entity
        <select name="entityType">
          <option value="" ?selected=${f.entityType === ''}>Any</option>
          ${entityTypes.map(([value, label]) => html`<option value=${value} ?selected=${value === f.entityType}>${label}</option>`)}
        </select>
      </label>
      <label>Entity id <input name="entityId" size="8" .value=${f.entityId} /></label>
      <label>Where
        <select name="source">
          <option value="" ?selected=${f.source === ''}>App and Odoo</option>
          <option value="app" ?selected=${f.source === 'app'}>App</option>
          <option value="odoo" ?selected=${f.source === 'odoo'}>Odoo</option>
        </select>
      </label>
      <label>Title contains <input name="q" type="search" .value=${f.q} /></label>
      <div class="form-actions">
        <button type="submit">Apply</button>
        <button type="button" class="secondary" @click=${() => this.#clearForm()}>Clear</button>
      </div>
    </form>`;
  }
}
