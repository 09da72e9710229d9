/**
 * The one HTTP client every element shares: base URL, credentials mode, the CSRF header, JSON
 * bodies, and error answers turned into {@link OdooSyncApiError}.
 * @module
 */

/** Name of the event fired when the server answers `reauth_required`. */
export const REAUTH_EVENT = 'odoo-sync-reauth';

/** The `<meta name>` a page puts its CSRF token in; the client sends it as {@link CSRF_HEADER}. */
export const CSRF_META_NAME = 'odoo-sync-csrf';

/** The request header that carries the page's CSRF token. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** Codes the client adds to the server's when no usable answer arrived. */
export type ClientProblemCode =
  /** The request did not reach the server, or no answer came back (offline, DNS, CORS, abort). */
  | 'network_error'
  /** The server answered with something that is not the API's JSON (a proxy's HTML page, say). */
  | 'bad_response';

/** What `odoo-sync-reauth` carries in `event.detail`. */
export interface ReauthDetail {
  /** Where to send the person to sign in to Microsoft 365 again (`null` when the server gave none). */
  loginUrl: string | null;
  /** The server's sentence about it. */
  message: string;
}

/** A query string's values: arrays repeat the parameter; `undefined`, `null` and `''` are left out. */
export type QueryValues = Readonly<Record<string, string | number | boolean | readonly string[] | null | undefined>>;

/** Options of {@link OdooSyncApi}. */
export interface OdooSyncApiOptions {
  /**
   * Where the odoo-sync server is: an absolute URL (`https://sync.example.com`) or a path on
   * this site. Paths like `/api/sync/status` are appended to it.
   * @default '' (this site)
   */
  baseUrl?: string;
  /**
   * `fetch`'s credentials mode: `include` sends the session cookie to a server on another
   * origin (that server must allow it with CORS).
   * @default 'same-origin'
   */
  credentials?: RequestCredentials;
  /** Where `odoo-sync-reauth` is dispatched (an element: the event bubbles out of its shadow root). */
  events?: EventTarget;
  /**
   * The CSRF token to send; by default the content of `<meta name="odoo-sync-csrf">` of the
   * document, read at each request (no header when the page has none).
   */
  csrfToken?: () => string | null;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Options of one request. */
export interface RequestOptions {
  /** Query parameters. */
  query?: QueryValues;
  /** A JSON body. */
  body?: unknown;
  /** Cancels the request (it then rejects with `network_error`). */
  signal?: AbortSignal;
}

/**
 * An error answer of the odoo-sync API, or no usable answer at all.
 *
 * @example
 * ```ts
 * try { await api.post('/api/sync/run'); }
 * catch (err) { if (err instanceof OdooSyncApiError && err.code === 'forbidden') show(err.message); }
 * ```
 */
export class OdooSyncApiError extends Error {
  override readonly name = 'OdooSyncApiError';
  /** The server's stable `error.code` (`forbidden`, `reauth_required`…) or a {@link ClientProblemCode}. */
  readonly code: string;
  /** The HTTP status (0 when no answer came back). */
  readonly status: number;
  /** What to do about it, when the server says (`error.details.hint`). */
  readonly hint: string | null;
  /** With `reauth_required`: where to sign in again. */
  readonly loginUrl: string | null;
  /** The server's structured details (`issues`, `hint`, counts…), as sent. */
  readonly details: Readonly<Record<string, unknown>>;

  /** @param init What the answer said. */
  constructor(init: { code: string; message: string; status: number; hint?: string | null; loginUrl?: string | null; details?: Record<string, unknown>; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.hint = init.hint ?? null;
    this.loginUrl = init.loginUrl ?? null;
    this.details = init.details ?? {};
  }
}

/** Reads `<meta name="odoo-sync-csrf" content="…">` of the current document, if any. */
export function csrfTokenFromDocument(doc: Document | undefined = globalThis.document): string | null {
  const meta = doc?.querySelector(`meta[name="${CSRF_META_NAME}"]`);
  const token = meta?.getAttribute('content');
  return token ? token : null;
}

/** Builds `path?query` (arrays repeat the key; empty values are dropped). */
export function withQuery(path: string, query: QueryValues = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) if (item !== '') params.append(key, item);
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns an error answer's body into an {@link OdooSyncApiError} (pure: no I/O). */
export function errorFromAnswer(status: number, body: unknown): OdooSyncApiError {
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : null;
  if (!error || typeof error['code'] !== 'string' || typeof error['message'] !== 'string') {
    return new OdooSyncApiError({ code: 'bad_response', status, message: `The server answered ${status} without an error the API describes.` });
  }
  const details = isRecord(error['details']) ? error['details'] : {};
  const hint = typeof details['hint'] === 'string' ? details['hint'] : null;
  const loginUrl = typeof error['loginUrl'] === 'string' ? error['loginUrl'] : typeof details['loginUrl'] === 'string' ? details['loginUrl'] : null;
  return new OdooSyncApiError({ code: error['code'], message: error['message'], status, hint, loginUrl, details });
}

/**
 * Talks to an odoo-sync server from a browser.
 *
 * - every request carries `Accept: application/json` and the chosen credentials mode;
 * - requests other than GET/HEAD carry `X-CSRF-Token` when the page has a
 *   `<meta name="odoo-sync-csrf">` (the bundled server's pages do);
 * - an error answer rejects with {@link OdooSyncApiError}; a `reauth_required` answer also
 *   fires a bubbling, composed `odoo-sync-reauth` event (detail: {@link ReauthDetail}) on `events`.
 *
 * @example
 * ```ts
 * const api = new OdooSyncApi({ baseUrl: 'https://sync.example.com', credentials: 'include' });
 * const status = await api.get<{ healthy: boolean }>('/api/sync/status');
 * ```
 */
export class OdooSyncApi {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The credentials mode of every request. */
  readonly credentials: RequestCredentials;
  readonly #events: EventTarget | undefined;
  readonly #csrfToken: () => string | null;
  readonly #fetch: typeof fetch;

  /** @param options See {@link OdooSyncApiOptions}. */
  constructor(options: OdooSyncApiOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.credentials = options.credentials ?? 'same-origin';
    this.#events = options.events;
    this.#csrfToken = options.csrfToken ?? (() => csrfTokenFromDocument());
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The full URL of an API path with its query (for links such as a CSV download). */
  url(path: string, query?: QueryValues): string {
    return `${this.baseUrl}${withQuery(path, query)}`;
  }

  /** `GET path?query` → the JSON answer. */
  get<T>(path: string, query?: QueryValues, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) });
  }

  /** `POST path` with an optional JSON body → the JSON answer. */
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body === undefined ? {} : { body });
  }

  /** `PUT path` with a JSON body → the JSON answer. */
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  /** `DELETE path` → the JSON answer (or `undefined` for 204). */
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /**
   * Sends one request. Resolves with the parsed JSON (`undefined` for an empty answer);
   * rejects with {@link OdooSyncApiError}.
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD') {
      const token = this.#csrfToken();
      if (token) headers[CSRF_HEADER] = token;
    }
    let response: Response;
    try {
      response = await this.#fetch(this.url(path, options.query), {
        method,
        headers,
        credentials: this.credentials,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (cause) {
      throw new OdooSyncApiError({ code: 'network_error', status: 0, message: 'The odoo-sync server could not be reached.', hint: 'Check your connection and try again.', cause });
    }
    const text = await response.text().catch(() => '');
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.ok) throw new OdooSyncApiError({ code: 'bad_response', status: response.status, message: 'The server answered with something other than JSON.' });
      }
    }
    if (!response.ok) {
      const error = errorFromAnswer(response.status, body);
      if (error.code === 'reauth_required') {
        const detail: ReauthDetail = { loginUrl: error.loginUrl, message: error.message };
        this.#events?.dispatchEvent(new CustomEvent<ReauthDetail>(REAUTH_EVENT, { detail, bubbles: true, composed: true }));
      }
      throw error;
    }
    return body as T;
  }
}
