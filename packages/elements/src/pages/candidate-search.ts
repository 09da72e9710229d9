/**
 * The Odoo candidate search of the admin link override (`GET /api/admin/odoo-candidates`):
 * a search form and the people it finds, each with a "Link" button.
 * @module
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { OdooSyncApi } from '../api.js';
import { errorBox } from '../base.js';

/** A synced Odoo user and/or employee the search found. */
export interface OdooCandidate {
  /** `res.users` id, or `null` for an employee without user. */
  odooUserId: number | null;
  /** `hr.employee` id, or `null` for a user without employee. */
  employeeId: number | null;
  /** Name. */
  name: string;
  /** Odoo login. */
  login: string | null;
  /** The user's e-mail. */
  email: string | null;
  /** The employee's work e-mail. */
  workEmail: string | null;
  /** False when archived in Odoo. */
  active: boolean;
}

type Found = { state: 'idle' } | { state: 'searching' } | { state: 'failed'; error: unknown } | { state: 'found'; q: string; items: OdooCandidate[] };

/**
 * Holds one search's state for its host element and renders it. The host calls
 * {@link CandidateSearch.render} with the person being linked and what to do on "Link".
 */
export class CandidateSearch implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #api: () => OdooSyncApi;
  #found: Found = { state: 'idle' };

  /** @param host The element. @param api Its API client (read at each search). */
  constructor(host: ReactiveControllerHost, api: () => OdooSyncApi) {
    this.#host = host;
    this.#api = api;
    host.addController(this);
  }

  /** @internal */
  hostConnected(): void {}

  /** Forgets the last search (when the panel closes). */
  reset(): void {
    this.#found = { state: 'idle' };
    this.#host.requestUpdate();
  }

  async #search(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const q = new FormData(event.currentTarget as HTMLFormElement).get('q');
    const text = typeof q === 'string' ? q.trim() : '';
    if (text === '') {
      this.#found = { state: 'failed', error: new Error('Type part of a name, login or e-mail address to search.') };
      this.#host.requestUpdate();
      return;
    }
    this.#found = { state: 'searching' };
    this.#host.requestUpdate();
    try {
      const answer = await this.#api().get<{ items: OdooCandidate[] }>('/api/admin/odoo-candidates', { q: text, limit: 10 });
      this.#found = { state: 'found', q: text, items: answer.items };
    } catch (error) {
      this.#found = { state: 'failed', error };
    }
    this.#host.requestUpdate();
  }

  /**
   * The search form and its results for `personName`; `onLink` runs when the admin picks a
   * candidate; `busy` disables the buttons while a change is under way.
   */
  render(idPrefix: string, personName: string, onLink: (candidate: OdooCandidate) => void, busy: boolean): TemplateResult {
    const found = this.#found;
    return html`
      <form class="inline" role="search" aria-label=${`Search Odoo for ${personName}`} @submit=${(e: SubmitEvent) => void this.#search(e)}>
        <label class="field">
          <span>Search Odoo people</span>
          <input id=${`${idPrefix}-q`} type="search" name="q" maxlength="200" autocomplete="off" placeholder="Name, login or e-mail" />
        </label>
        <button type="submit" class="secondary" ?disabled=${found.state === 'searching'}>Search</button>
      </form>
      <div role="status" aria-live="polite" class="muted status-line">${found.state === 'searching' ? 'Searching…' : found.state === 'found' ? `${found.items.length === 0 ? 'Nobody' : found.items.length === 1 ? '1 person' : `${found.items.length} people`} found for “${found.q}”.` : ''}</div>
      ${found.state === 'failed' ? errorBox(found.error, 'Search failed.') : nothing}
      ${found.state === 'found' && found.items.length > 0
        ? html`<ul class="plain" aria-label="Odoo people found">
            ${found.items.map(
              (c) => html`<li class="row spread">
                <span>
                  <strong>${c.name}</strong>
                  ${!c.active ? html` <span class="badge neutral">Archived</span>` : nothing}
                  <span class="meta muted"
                    >${[c.login ?? c.email ?? c.workEmail ?? '', c.employeeId !== null ? `employee #${c.employeeId}` : '', c.odooUserId !== null ? `Odoo user #${c.odooUserId}` : '']
                      .filter(Boolean)
                      .join(' · ')}</span
                  >
                </span>
                <button type="button" ?disabled=${busy} aria-label=${`Link ${personName} to ${c.name}`} @click=${() => onLink(c)}>Link</button>
              </li>`,
            )}
          </ul>`
        : nothing}
    `;
  }
}
