/**
 * `<odoo-sync-admin-sync>`: the sync interval (5–60 minutes) and the recent sync logs.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { errorBox, OdooSyncElement, timeTag } from '../base.js';
import { formatDuration } from '../time.js';
import { pageStyles } from './page-styles.js';
import { countsInWords, entityWords, parseIntervalMinutes, syncErrorWords, triggerWords, type SyncCounts } from './words.js';

/** One sync log entry as `GET /api/sync/logs` answers it (the fields the page reads). */
interface SyncLogView {
  id: string;
  runId: string;
  entity: string;
  trigger: string;
  mode: 'incremental' | 'full';
  startedAt: string;
  finishedAt: string;
  status: 'success' | 'failed' | 'skipped';
  counts: SyncCounts;
  error: { code: string; message: string; retryable: boolean } | null;
  skipReason: string | null;
  invalidRecords: { odooId: number; reason: string }[];
}

type Loaded<T> = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; value: T };

const STATUS = {
  success: { text: 'Success', tone: 'ok' },
  failed: { text: 'Failed', tone: 'error' },
  skipped: { text: 'Skipped', tone: 'warn' },
} as const;

/** Log entries per page. */
const PAGE = 25;

/**
 * Sync settings and history for admins: how often the sync runs (5 to 60 minutes, checked
 * before it is sent), and the recent sync log entries — one per kind of record per run — with
 * what changed and each error in words with the server's sentence.
 *
 * Attributes: `base-url`, `credentials`.
 *
 * @example
 * ```html
 * <odoo-sync-admin-sync></odoo-sync-admin-sync>
 * ```
 */
export class OdooSyncAdminSync extends OdooSyncElement {
  /** @internal */
  static override properties = {
    ...OdooSyncElement.properties,
    settings: { state: true },
    logs: { state: true },
    nextCursor: { state: true },
    onlyFailures: { state: true },
    saving: { state: true },
    fieldError: { state: true },
    saveError: { state: true },
    announcement: { state: true },
  };

  /** @internal */
  static override styles = [...OdooSyncElement.styles, pageStyles];

  declare protected settings: Loaded<{ intervalMinutes: number }>;
  declare protected logs: Loaded<SyncLogView[]>;
  declare protected nextCursor: string | null;
  declare protected onlyFailures: boolean;
  declare protected saving: boolean;
  declare protected fieldError: string | null;
  declare protected saveError: unknown;
  declare protected announcement: string;

  constructor() {
    super();
    this.settings = { state: 'loading' };
    this.logs = { state: 'loading' };
    this.nextCursor = null;
    this.onlyFailures = false;
    this.saving = false;
    this.fieldError = null;
    this.saveError = null;
    this.announcement = '';
  }

  /** @internal */
  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadSettings();
    void this.loadLogs();
  }

  async #loadSettings(): Promise<void> {
    try {
      this.settings = { state: 'ready', value: await this.api.get<{ intervalMinutes: number }>('/api/sync/settings') };
    } catch (error) {
      this.settings = { state: 'failed', error };
    }
  }

  /** Reads the newest log entries again (or, with `more`, the next page after those shown). */
  async loadLogs(more = false): Promise<void> {
    const shown = more && this.logs.state === 'ready' ? this.logs.value : [];
    if (!more) this.logs = { state: 'loading' };
    try {
      const page = await this.api.get<{ items: SyncLogView[]; nextCursor: string | null }>('/api/sync/logs', {
        limit: PAGE,
        status: this.onlyFailures ? 'failed' : undefined,
        cursor: more ? this.nextCursor : undefined,
      });
      this.logs = { state: 'ready', value: [...shown, ...page.items] };
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.logs = { state: 'failed', error };
    }
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('#interval');
    const parsed = parseIntervalMinutes(input?.value ?? '');
    this.saveError = null;
    if (!parsed.ok) {
      this.fieldError = parsed.message;
      this.announcement = '';
      await this.updateComplete;
      input?.focus();
      return;
    }
    this.fieldError = null;
    this.saving = true;
    try {
      const saved = await this.api.put<{ intervalMinutes: number }>('/api/sync/settings', { intervalMinutes: parsed.minutes });
      this.settings = { state: 'ready', value: saved };
      this.announcement = `Saved: the sync runs every ${saved.intervalMinutes} minutes.`;
    } catch (error) {
      this.saveError = error;
      this.announcement = '';
    } finally {
      this.saving = false;
    }
  }

  async #more(): Promise<void> {
    const before = this.logs.state === 'ready' ? this.logs.value.length : 0;
    await this.loadLogs(true);
    await this.updateComplete;
    // The first new row takes the focus, so the keyboard reader continues where the list grew.
    this.renderRoot.querySelectorAll<HTMLElement>('tbody tr > th')[before]?.focus();
  }

  /** @internal */
  override render(): TemplateResult {
    return html`
      <section aria-labelledby="settings-title" class="stack">
        <h2 id="settings-title">Sync settings</h2>
        ${this.#renderSettings()}
      </section>
      <section aria-labelledby="logs-title" class="stack">
        <div class="row spread">
          <h2 id="logs-title">Recent sync runs</h2>
          <div class="row">
            <label class="check">
              <input
                type="checkbox"
                .checked=${this.onlyFailures}
                @change=${(e: Event) => {
                  this.onlyFailures = (e.currentTarget as HTMLInputElement).checked;
                  void this.loadLogs();
                }}
              />
              Only failures
            </label>
            <button type="button" class="secondary" @click=${() => void this.loadLogs()}>Refresh</button>
          </div>
        </div>
        ${this.#renderLogs()}
      </section>
    `;
  }

  #renderSettings(): TemplateResult {
    const settings = this.settings;
    if (settings.state === 'loading') return html`<p class="muted">Loading settings…</p>`;
    if (settings.state === 'failed') return errorBox(settings.error, 'The sync settings could not be loaded.');
    return html`
      <form class="inline" @submit=${(e: SubmitEvent) => void this.#save(e)} novalidate>
        <label class="field">
          <span>Minutes between runs</span>
          <input
            id="interval"
            name="intervalMinutes"
            type="number"
            inputmode="numeric"
            min="5"
            max="60"
            step="1"
            required
            .value=${String(settings.value.intervalMinutes)}
            aria-invalid=${this.fieldError ? 'true' : 'false'}
            aria-describedby=${this.fieldError ? 'interval-help interval-error' : 'interval-help'}
          />
        </label>
        <button type="submit" ?disabled=${this.saving}>${this.saving ? 'Saving…' : 'Save'}</button>
      </form>
      <p id="interval-help" class="muted">From 5 to 60 minutes. Applies at once, on every server.</p>
      ${this.fieldError ? html`<p id="interval-error" class="field-error">${this.fieldError}</p>` : nothing}
      ${this.saveError ? errorBox(this.saveError, 'Not saved.') : nothing}
      <p role="status" aria-live="polite" class="success status-line">${this.announcement}</p>
    `;
  }

  #renderLogs(): TemplateResult {
    const logs = this.logs;
    if (logs.state === 'loading') return html`<p class="muted" role="status">Loading sync runs…</p>`;
    if (logs.state === 'failed') return errorBox(logs.error, 'The sync logs could not be loaded.');
    if (logs.value.length === 0) return html`<p class="muted" role="status">${this.onlyFailures ? 'No failed runs.' : 'No sync has run yet.'}</p>`;
    const now = this.now();
    return html`
      <div class="table-wrap" role="region" aria-labelledby="logs-title" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Records</th>
              <th scope="col">Outcome</th>
              <th scope="col">Changes</th>
              <th scope="col" class="secondary-col">How</th>
              <th scope="col" class="num secondary-col">Took</th>
            </tr>
          </thead>
          <tbody>
            ${logs.value.map((log) => {
              const status = STATUS[log.status];
              return html`<tr data-log-id=${log.id}>
                <th scope="row" tabindex="-1">${timeTag(log.startedAt, now)}</th>
                <td>${entityWords(log.entity)}</td>
                <td>
                  <span class=${`badge ${status.tone}`}>${status.text}</span>
                  ${log.error ? this.#renderError(log.error) : nothing}
                  ${log.status === 'skipped' && log.skipReason ? html`<div class="muted">${log.skipReason}</div>` : nothing}
                </td>
                <td>
                  ${countsInWords(log.counts)}
                  ${log.invalidRecords.length > 0
                    ? html`<div class="muted">${log.invalidRecords.slice(0, 3).map((r) => `#${r.odooId}: ${r.reason}`).join('; ')}${log.invalidRecords.length > 3 ? '…' : ''}</div>`
                    : nothing}
                </td>
                <td class="secondary-col">${triggerWords(log.trigger)}, ${log.mode === 'full' ? 'full' : 'changes only'}</td>
                <td class="num secondary-col">${formatDuration(Date.parse(log.finishedAt) - Date.parse(log.startedAt))}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${this.nextCursor ? html`<button type="button" class="secondary" @click=${() => void this.#more()}>Show older runs</button>` : nothing}
    `;
  }

  #renderError(error: NonNullable<SyncLogView['error']>): TemplateResult {
    const words = syncErrorWords(error.code);
    return html`<div class="sync-error">
      ${words ? html`<strong>${words}</strong> ` : nothing}<span>${error.message}</span>
      ${error.retryable ? html`<div class="muted">The next run tries again.</div>` : nothing}
    </div>`;
  }
}
