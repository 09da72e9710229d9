/**
 * Options of {@link OdooClient}, validated up front: every problem is reported at once in a
 * {@link ConfigError}'s `issues`, and no message ever contains a secret.
 * @module
 */
import { ConfigError, type InputIssue } from '@odoo-sync/core/errors';
import type { Logger } from '@odoo-sync/core';
import type { FetchLike } from './http.js';
import type { OdooProtocol } from './transport.js';

/** Options of {@link OdooClient}. */
export interface OdooClientOptions {
  /** Odoo's base URL, e.g. `https://mycompany.odoo.com` (a path prefix is allowed; no credentials in it). */
  url: string;
  /** Database name (sent as `X-Odoo-Database` with JSON-2). */
  db: string;
  /** Login of the Odoo user (XML-RPC authenticates with it; JSON-2 knows the user from the key). */
  username: string;
  /** API key (Preferences → Account Security). Needed for JSON-2; used instead of the password with XML-RPC. */
  apiKey?: string | undefined;
  /** Password, for XML-RPC without an API key (impossible when the user has 2FA). */
  password?: string | undefined;
  /**
   * Wire protocol. `auto` asks the server once (`GET /web/version`, then a JSON-2 probe) and uses
   * JSON-2 when it is there and an API key is set, else XML-RPC.
   * @default 'auto'
   */
  protocol?: 'auto' | OdooProtocol;
  /**
   * Time allowed for each HTTP request, answer included, in milliseconds.
   * @default 60000
   */
  timeoutMs?: number;
  /**
   * Retries of a request after a transient failure (connection reset or refused, timeout,
   * HTTP 429/502/503/504, Odoo's login cooldown). `0` disables retries.
   * @default 3
   */
  retries?: number;
  /**
   * Delay before the first retry in milliseconds; it doubles on each retry.
   * @default 1000
   */
  retryMinTimeoutMs?: number;
  /**
   * Longest delay between retries in milliseconds.
   * @default 30000
   */
  retryMaxTimeoutMs?: number;
  /**
   * Structured logger (pino fits). Gets one `debug` line per request and one `warn` per retry;
   * never a secret.
   * @default silentLogger
   */
  logger?: Logger | undefined;
  /** Aborts every request of this client (e.g. on shutdown). */
  signal?: AbortSignal | undefined;
  /**
   * A fetch implementation to send every request through, e.g. one bound to an undici `Agent`
   * with a proxy or custom TLS. Without it the client uses `node:http`/`node:https` with its own
   * keep-alive connections, which reads answers with less CPU than fetch — except when Node's
   * `NODE_USE_ENV_PROXY=1` is set: then `HTTP_PROXY`/`HTTPS_PROXY` apply through the global fetch.
   * @default undefined (the client's own `node:http` exchange; `globalThis.fetch` with `NODE_USE_ENV_PROXY=1`)
   */
  fetch?: FetchLike | undefined;
  /**
   * `User-Agent` header.
   * @default 'odoo-sync'
   */
  userAgent?: string;
}

/** Options after validation and defaults. Secrets are kept apart (see `Credentials`). */
export interface ResolvedClientOptions {
  baseUrl: string;
  db: string;
  username: string;
  apiKey: string | undefined;
  password: string | undefined;
  protocol: 'auto' | OdooProtocol;
  timeoutMs: number;
  retries: number;
  retryMinTimeoutMs: number;
  retryMaxTimeoutMs: number;
  logger: Logger | undefined;
  signal: AbortSignal | undefined;
  /** `undefined`: the client's own `node:http` exchange. */
  fetch: FetchLike | undefined;
  userAgent: string;
}

const PROTOCOLS = ['auto', 'xmlrpc', 'json2'] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : typeof value;
}

/**
 * Validates and completes the options. Throws {@link ConfigError} listing every problem.
 * Values of `apiKey` and `password` are never quoted in the issues.
 */
export function resolveClientOptions(options: OdooClientOptions): ResolvedClientOptions {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError('OdooClient needs an options object.', [{ path: '', message: `expected an object, received ${describe(options)}` }]);
  }
  const issues: InputIssue[] = [];
  const text = (path: keyof OdooClientOptions, required: boolean): string | undefined => {
    const value = options[path];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ path, message: value === undefined ? 'is required' : `must be a non-empty string, received ${describe(value)}` });
      return undefined;
    }
    return value;
  };
  const integer = (path: keyof OdooClientOptions, fallback: number, min: number): number => {
    const value = options[path];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      issues.push({ path, message: `must be an integer ≥ ${min}, received ${typeof value === 'number' ? String(value) : describe(value)}` });
      return fallback;
    }
    return value;
  };

  let baseUrl = '';
  const url = text('url', true);
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      issues.push({ path: 'url', message: 'must be an absolute http(s) URL, e.g. https://mycompany.odoo.com' });
    }
    if (parsed) {
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') issues.push({ path: 'url', message: `must use http or https, not ${parsed.protocol}` });
      if (parsed.username || parsed.password) issues.push({ path: 'url', message: 'must not contain credentials; use username and apiKey' });
      if (parsed.search || parsed.hash) issues.push({ path: 'url', message: 'must not have a query string or fragment' });
      baseUrl = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
    }
  }
  const db = text('db', true) ?? '';
  const username = text('username', true) ?? '';
  const apiKey = text('apiKey', false);
  const password = text('password', false);
  const protocol = options.protocol ?? 'auto';
  if (!(PROTOCOLS as readonly unknown[]).includes(protocol)) {
    issues.push({ path: 'protocol', message: `must be one of ${PROTOCOLS.join(', ')}, received ${JSON.stringify(protocol)}` });
  }
  if (options.apiKey === undefined && options.password === undefined) {
    issues.push({ path: 'apiKey', message: 'an API key (or, for XML-RPC, a password) is required' });
  }
  if (protocol === 'json2' && options.apiKey === undefined) {
    issues.push({ path: 'apiKey', message: 'JSON-2 authenticates with an API key only; set apiKey' });
  }
  const timeoutMs = integer('timeoutMs', 60_000, 1);
  const retries = integer('retries', 3, 0);
  const retryMinTimeoutMs = integer('retryMinTimeoutMs', 1000, 0);
  const retryMaxTimeoutMs = integer('retryMaxTimeoutMs', 30_000, 0);
  if (retryMaxTimeoutMs < retryMinTimeoutMs) issues.push({ path: 'retryMaxTimeoutMs', message: 'must be ≥ retryMinTimeoutMs' });
  if (options.logger !== undefined && (typeof options.logger !== 'object' || typeof options.logger?.warn !== 'function')) {
    issues.push({ path: 'logger', message: 'must have debug, info, warn and error methods' });
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) issues.push({ path: 'signal', message: 'must be an AbortSignal' });
  if (options.fetch !== undefined && typeof options.fetch !== 'function') issues.push({ path: 'fetch', message: 'must be a function' });
  const userAgent = options.userAgent === undefined ? 'odoo-sync' : (text('userAgent', false) ?? 'odoo-sync');

  if (issues.length > 0) {
    throw new ConfigError(`Invalid OdooClient options: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}.`, issues);
  }
  return {
    baseUrl,
    db,
    username,
    apiKey,
    password,
    protocol,
    timeoutMs,
    retries,
    retryMinTimeoutMs,
    retryMaxTimeoutMs,
    logger: options.logger,
    signal: options.signal,
    // Node applies the proxy variables to its global fetch when asked to: keep them working.
    fetch: options.fetch ?? (process.env['NODE_USE_ENV_PROXY'] === '1' ? globalThis.fetch : undefined),
    userAgent,
  };
}
