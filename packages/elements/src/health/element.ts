/**
 * `<odoo-sync-health>`: the sync-health widget.
 * @module
 */
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { OdooSyncApiError } from '../api.js';
import { themeStyles } from '../styles.js';
import { errorBox, OdooSyncElement, TickController, timeTag, type CurrentUser } from '../base.js';
import { HISTORY_VIEWBOX, historyBars, historyLabel } from './history-chart.js';
import { healthVerdict, isSyncStatus, summarizeRuns, type RunSummary, type SyncLogEntry, type SyncStatus } from './model.js';

const RUNNING_POLL_MS = 2_000;

/**
 * `<odoo-sync-health>` shows how fresh the synced Odoo data is: "Last synced 3 minutes ago"
 * (kept current without reloading; the exact time in the viewer's time zone on hover), the
 * state in colour and words (healthy, stale, failing), the next run, employees and Odoo users
 * synced, counts per entity, the last error with what to do about it, a small chart of the
 * last runs (for admins: the run logs are theirs), and "Run sync now" for admins.
 *
 * Attributes: `base-url`, `credentials` (see {@link OdooSyncElement}); `poll-seconds`
 * (how often the status is read again; default 30, `0` never); `history` (runs in the
 * chart; default 12, `0` hides it).
 *
 * Events: `odoo-sync-run-started` (detail `{ runId }`) after "Run sync now";
 * `odoo-sync-reauth` when the server says to sign in again.
 */
export class OdooSyncHealth extends OdooSyncElement {
  /** @internal */
  static override properties = {
    pollSeconds: { type: Number, attribute: 'poll-seconds' },
    history: { type: Number },
    status: { state: true },
    runs: { state: true },
    user: { state: true },
    error: { state: true },
    runMessage: { state: true },
    starting: { state: true },
  };

  /** @internal */
  static override styles = [
    themeStyles,
    css`
      header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; }
      h2 { font-size: 1.1em; margin: 0; }
      .state { display: inline-flex; align-items: center; gap: 6px; font-weight: 600; }
      .state::before { content: ''; width: 0.75em; height: 0.75em; border-radius: 50%; background: currentColor; }
      .state-healthy { color: var(--_ok); }
      .state-stale, .state-never { color: var(--_warn); }
      .state-failing { color: var(--_error); }
      .last { font-size: 1.25em; margin: 8px 0 2px; }
      .facts { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0 8px; padding: 0; list-style: none; }
      .table-wrap { overflow-x: auto; margin: 8px 0; }
      .status-failed { color: var(--_error); }
      .status-skipped { color: var(--_warn); }
      figure { margin: 8px 0; }
      figcaption { font-size: 0.9em; }
      svg.history { width: 100%; max-width: 360px; height: 48px; display: block; }
      .bar rect { fill: var(--_ok); }
      .bar.failed rect { fill: var(--_error); }
      .bar.skipped rect { fill: var(--_warn); }
      .bar .mark { stroke: var(--_on-accent); stroke-width: 2; }
      .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; margin-top: 8px; }
      .hint { margin-top: 4px; }
    `,
  ];

  /** Seconds between status reads (attribute `poll-seconds`); `0` reads it once. @default 30 */
  declare pollSeconds: number;
  /** Runs in the history chart (attribute `history`); `0` hides it. @default 12 */
  declare history: number;
  declare private status: SyncStatus | null;
  declare private runs: RunSummary[] | null;
  declare private user: CurrentUser | null;
  declare private error: unknown;
  declare private runMessage: string;
  declare private starting: boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor() {
    super();
    this.pollSeconds = 30;
    this.history = 12;
    this.status = null;
    this.runs = null;
    this.user = null;
    this.error = null;
    this.runMessage = '';
    this.starting = false;
    new TickController(this, 10_000);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#generation += 1;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('baseUrl') || changed.has('credentials')) && changed.get('baseUrl') !== undefined) void this.refresh();
  }

  /** Reads the status (and the caller, and the run history for admins) again now. */
  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    const generation = ++this.#generation;
    try {
      const [status, user] = await Promise.all([this.api.get<unknown>('/api/sync/status'), this.user ? Promise.resolve(this.user) : this.currentUser()]);
      if (generation !== this.#generation) return;
      if (!isSyncStatus(status)) throw new OdooSyncApiError({ code: 'bad_response', status: 200, message: 'The sync status answer is not one this widget understands.' });
      this.status = status;
      this.user = user;
      this.error = null;
      if (this.history > 0 && user?.role === 'admin') {
        const logs = await this.api.get<{ items: SyncLogEntry[] }>('/api/sync/logs', { limit: Math.min(1000, this.history * Math.max(1, status.entities.length) * 2) }).catch(() => null);
        if (generation !== this.#generation) return;
        this.runs = logs ? summarizeRuns(logs.items, this.history) : null;
      }
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = err;
    }
    this.#schedule(generation);
  }

  #schedule(generation: number): void {
    if (!this.isConnected || generation !== this.#generation) return;
    const delay = this.status?.running || this.starting ? RUNNING_POLL_MS : this.pollSeconds > 0 ? this.pollSeconds * 1000 : null;
    if (delay !== null) this.#timer = setTimeout(() => void this.refresh(), delay);
  }

  async #runNow(): Promise<void> {
    this.starting = true;
    this.runMessage = 'Starting a sync…';
    try {
      const { runId } = await this.api.post<{ runId: string }>('/api/sync/run');
      this.runMessage = 'Sync started.';
      this.dispatchEvent(new CustomEvent('odoo-sync-run-started', { detail: { runId }, bubbles: true, composed: true }));
    } catch (err) {
      this.runMessage = err instanceof OdooSyncApiError ? `Could not start a sync: ${err.message}` : 'Could not start a sync.';
    } finally {
      this.starting = false;
    }
    await this.refresh();
  }

  protected override render(): TemplateResult {
    const status = this.status;
    if (!status) {
      return html`<section class="card" aria-labelledby="title">
        <header><h2 id="title">Sync health</h2></header>
        ${this.error ? errorBox(this.error, 'The sync status could not be read.') : html`<p class="muted" role="status">Loading the sync status…</p>`}
      </section>`;
    }
    const now = this.now();
    const verdict = healthVerdict(status, now);
    const isAdmin = this.user?.role === 'admin';
    return html`<section class="card" aria-labelledby="title">
      <header>
        <h2 id="title">Sync health</h2>
        <span class="state state-${verdict.state}" role="status" aria-live="polite" data-state=${verdict.state}>${verdict.label}</span>
      </header>
      <p class="last">${status.lastSuccessAt ? html`Last synced ${timeTag(status.lastSuccessAt, now)}` : 'Not synced yet'}</p>
      <p class="reason muted">${verdict.reason}</p>
      <ul class="facts">
        <li class="next">${status.running ? 'Running now' : status.paused ? 'Scheduled runs paused' : status.nextRunAt ? html`Next run ${timeTag(status.nextRunAt, now)}` : 'No run scheduled'}</li>
        <li class="employees">Employees synced: <strong>${status.employeesSynced}</strong></li>
        <li class="odoo-users">Odoo users synced: <strong>${status.odooUsersSynced}</strong></li>
      </ul>
      ${status.lastError && !status.healthy ? this.#lastError(status) : nothing}
      ${this.error ? errorBox(this.error, 'The status could not be refreshed.') : nothing}
      ${this.#entities(status, now)} ${isAdmin && this.runs ? this.#history(this.runs) : nothing}
      ${isAdmin
        ? html`<div class="actions">
            <button type="button" class="run" ?disabled=${this.starting || status.running} @click=${() => void this.#runNow()}>Run sync now</button>
            <span class="run-message" role="status">${this.runMessage}</span>
          </div>`
        : nothing}
    </section>`;
  }

  #lastError(status: SyncStatus): TemplateResult {
    const error = status.lastError!;
    return html`<div class="error-box last-error" data-code=${error.code}>
      <strong>Last error:</strong> ${error.message}
      ${error.hint ? html`<div class="hint">${error.hint}</div>` : nothing}
    </div>`;
  }

  #entities(status: SyncStatus, now: number): TemplateResult {
    return html`<div class="table-wrap">
      <table>
        <caption class="visually-hidden">Records per entity</caption>
        <thead>
          <tr><th scope="col">Entity</th><th scope="col" class="num">Active</th><th scope="col" class="num">Archived</th><th scope="col" class="num">Deleted</th><th scope="col">Last run</th></tr>
        </thead>
        <tbody>
          ${status.entities.map(
            (e) => html`<tr data-entity=${e.entity}>
              <th scope="row">${e.label}</th>
              <td class="num">${e.active}</td>
              <td class="num">${e.archived}</td>
              <td class="num">${e.deleted}</td>
              <td class="status-${e.lastRunStatus ?? 'none'}">${e.lastRunStatus === null ? 'not yet' : html`${e.lastRunStatus === 'success' ? 'succeeded' : e.lastRunStatus} ${timeTag(e.lastRunAt, now)}`}${e.lastRunStatus === 'failed' && e.lastError ? html`: ${e.lastError.message}` : nothing}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #history(runs: RunSummary[]): TemplateResult {
    const label = historyLabel(runs);
    return html`<figure class="history">
      <svg class="history" viewBox=${HISTORY_VIEWBOX} preserveAspectRatio="none" role="img" aria-label=${label}>${historyBars(runs)}</svg>
      <figcaption class="muted">${label}</figcaption>
    </figure>`;
  }
}
