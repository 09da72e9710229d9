/**
 * An MSAL network client that only ever talks to 127.0.0.1.
 * @module
 */
import { request } from 'node:http';
import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';

/** Options of {@link LoopbackNetworkClient}. */
export interface LoopbackNetworkClientOptions {
  /** Port of the server on 127.0.0.1 that answers every allowed request (over plain HTTP). */
  port: number;
  /**
   * Other hosts whose requests are sent to that server instead, e.g.
   * `['login.microsoftonline.com']` to run MSAL with its production authority.
   * @default []
   */
  routeHosts?: readonly string[];
}

/** One request MSAL made. */
export interface LoopbackRequest {
  /** `GET` or `POST`. */
  method: 'GET' | 'POST';
  /** The URL MSAL asked for. */
  url: string;
  /** True when it was refused (host not allowed). */
  refused: boolean;
}

/**
 * An MSAL `INetworkModule` (`system.networkClient`) that sends requests for `127.0.0.1:<port>`
 * (and any `routeHosts`) to the test server on 127.0.0.1 over plain HTTP — MSAL insists on
 * `https://` authorities, the test server does not need TLS — and refuses every other host,
 * so a test can never reach the internet. Answers like msal-node 7's own HTTP client (fetch):
 * JSON bodies parsed and header names lower-cased; a body that is not JSON (a gateway's HTML
 * error page) rejected with an `AuthError` `token_parsing_error`; a connection that fails or
 * drops rejected with an `AuthError` `network_error`.
 */
export class LoopbackNetworkClient implements INetworkModule {
  readonly #port: number;
  readonly #allowed: Set<string>;
  /** Every request, in order (refused ones included). */
  readonly requests: LoopbackRequest[] = [];

  /** Routes to the server on 127.0.0.1:`port`. */
  constructor(options: LoopbackNetworkClientOptions) {
    this.#port = options.port;
    this.#allowed = new Set([`127.0.0.1:${options.port}`, ...(options.routeHosts ?? []).map((h) => h.toLowerCase())]);
  }

  /** MSAL's GET (discovery). */
  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>('GET', url, options);
  }

  /** MSAL's POST (token requests). */
  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>('POST', url, options);
  }

  #send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    const refused = !this.#allowed.has(target.host.toLowerCase());
    this.requests.push({ method, url, refused });
    if (refused) return Promise.reject(new Error(`LoopbackNetworkClient refused a request to ${target.host}: only 127.0.0.1 is allowed.`));
    return new Promise<NetworkResponse<T>>((resolve, reject) => {
      const body = options?.body ?? '';
      const req = request(
        {
          host: '127.0.0.1',
          port: this.#port,
          method,
          path: target.pathname + target.search,
          headers: {
            ...(options?.headers ?? {}),
            ...(method === 'POST' ? { 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch (error) {
              // msal-node 7's HttpClient does the same (msal-node 3 made such an answer a
              // `server_error`/`client_error` body instead).
              reject(new AuthError('token_parsing_error', '', `Failed to parse response: ${(error as Error).message}`));
              return;
            }
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ headers, body: parsed as T, status });
          });
        },
      );
      req.on('error', (error) => reject(new AuthError('network_error', '', `Network request failed: ${error.message}`)));
      if (method === 'POST') req.write(body);
      req.end();
    });
  }
}
