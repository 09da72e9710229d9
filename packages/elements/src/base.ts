/**
 * What every odoo-sync element shares: the `base-url` and `credentials` attributes, one
 * {@link OdooSyncApi} per configuration, the caller's identity, the shared styles, and small
 * templates for times and errors.
 * @module
 */
import { html, LitElement, nothing, type PropertyDeclarations, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { OdooSyncApi, OdooSyncApiError } from './api.js';
import { themeStyles } from './styles.js';
import { exactTime, relativeTime } from './time.js';

/** The caller, as `GET /api/auth/me` describes them (the fields the elements read). */
export interface CurrentUser {
  /** User id. */
  id: string;
  /** E-mail address. */
  email: string;
  /** Display name. */
  name: string;
  /** `admin` sees admin-only controls. */
  role: 'admin' | 'user';
  /** `approved` people use the app; `pending` wait for an admin. */
  status: 'pending' | 'approved' | 'rejected';
}

const CREDENTIALS: readonly RequestCredentials[] = ['omit', 'same-origin', 'include'];

/**
 * Base class of the odoo-sync elements (a `LitElement`).
 *
 * Attributes: `base-url` (where the server is; default this site) and `credentials`
 * (`same-origin` by default, `include` for a server on another origin, `omit`).
 */
export class OdooSyncElement extends LitElement {
  /** @internal */
  static override properties: PropertyDeclarations = {
    baseUrl: { type: String, attribute: 'base-url' },
    credentials: { type: String },
  };

  /** @internal */
  static override styles = [themeStyles];

  /** Where the odoo-sync server is (attribute `base-url`): an absolute URL or a path; default this site. */
  declare baseUrl: string;
  /** `fetch`'s credentials mode (attribute `credentials`): `same-origin` (default), `include` or `omit`. */
  declare credentials: RequestCredentials;

  #api: OdooSyncApi | undefined;

  constructor() {
    super();
    this.baseUrl = '';
    this.credentials = 'same-origin';
  }

  /** The API client for the current attributes (a new one when they change). */
  get api(): OdooSyncApi {
    const credentials = CREDENTIALS.includes(this.credentials) ? this.credentials : 'same-origin';
    const baseUrl = this.baseUrl ?? '';
    if (!this.#api || this.#api.baseUrl !== baseUrl.replace(/\/+$/, '') || this.#api.credentials !== credentials) {
      this.#api = new OdooSyncApi({ baseUrl, credentials, events: this });
    }
    return this.#api;
  }

  /** The current time in milliseconds (the page's clock). */
  protected now(): number {
    return Date.now();
  }

  /** The caller (`GET /api/auth/me`), or `null` when signed out or the server cannot say. */
  protected async currentUser(): Promise<CurrentUser | null> {
    try {
      const me = await this.api.get<{ user?: CurrentUser }>('/api/auth/me');
      return me?.user ?? null;
    } catch {
      return null;
    }
  }
}

/**
 * `<time datetime="…" title="exact time">3 minutes ago</time>`: relative to `now`, with the
 * exact time in the viewer's time zone on hover. Nothing for a missing time.
 */
export function timeTag(iso: string | null | undefined, now: number): TemplateResult | typeof nothing {
  if (!iso) return nothing;
  return html`<time datetime=${iso} title=${exactTime(iso)}>${relativeTime(iso, now)}</time>`;
}

/** An error in words with what to do about it (`role="alert"`). */
export function errorBox(error: unknown, lead = 'Something went wrong.'): TemplateResult {
  const apiError = error instanceof OdooSyncApiError ? error : null;
  const message = apiError ? apiError.message : error instanceof Error ? error.message : String(error);
  return html`<div class="error-box" role="alert">
    <strong>${lead}</strong> ${message}
    ${apiError?.hint ? html`<div class="hint">${apiError.hint}</div>` : nothing}
    ${apiError?.loginUrl ? html`<div><a href=${apiError.loginUrl}>Sign in again</a></div>` : nothing}
  </div>`;
}

/**
 * Re-renders its host every `intervalMs` while the host is in the page: relative times stay
 * current without reloading.
 */
export class TickController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @param host The element. @param intervalMs How often. @default 15 000 */
  constructor(host: ReactiveControllerHost, intervalMs = 15_000) {
    this.#host = host;
    this.#intervalMs = intervalMs;
    host.addController(this);
  }

  /** @internal */
  hostConnected(): void {
    this.#timer ??= setInterval(() => this.#host.requestUpdate(), this.#intervalMs);
  }

  /** @internal */
  hostDisconnected(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
