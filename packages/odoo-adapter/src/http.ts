/**
 * One HTTP exchange with Odoo through an injected fetch: a timeout per request, the caller's
 * AbortSignal, and network failures turned into {@link OdooTransportError}. Without an injected
 * fetch the client uses `node-http.ts`, which behaves the same.
 * @module
 */
import { OdooTransportError } from '@odoo-sync/core/errors';
import { errorFromNetworkFailure } from './errors.js';

/** The fetch function the client uses (the global one unless injected). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** One request. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Time allowed for the answer, body included. */
  timeoutMs: number;
  /** Aborts the request; the abort reason is thrown as it is. */
  signal: AbortSignal;
}

/** A complete HTTP answer (any status). */
export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  /** `METHOD /path` of the request, for messages (never a query string or credentials). */
  target: string;
  /** `Location` header of a redirect. */
  location: string | null;
}

/** `POST /xmlrpc/2/object` — the part of a request that is safe in messages. */
export function describeTarget(method: string, url: string): string {
  try {
    const parsed = new URL(url);
    return `${method} ${parsed.origin}${parsed.pathname}`;
  } catch {
    return method;
  }
}

/** Sends one request and reads the whole answer (the transports' view of HTTP). */
export type HttpSend = (request: HttpRequest) => Promise<HttpAnswer>;

/** The retryable error of a request that got no whole answer within `timeoutMs`. */
export function timeoutError(target: string, timeoutMs: number): OdooTransportError {
  return new OdooTransportError(`Odoo did not answer ${target} within ${timeoutMs} ms.`, {
    retryable: true,
    hint: 'Odoo is slow or overloaded; it will be retried. Raise timeoutMs or lower the page size if it persists.',
  });
}

/**
 * Throws the non-retryable {@link OdooTransportError} of a redirect: POST bodies do not survive
 * redirects, so the configuration must name the final URL.
 */
export function checkAnswer(answer: HttpAnswer): void {
  if (answer.status >= 300 && answer.status < 400) {
    throw new OdooTransportError(
      `Odoo redirected ${answer.target} to ${answer.location ?? 'another URL'} (HTTP ${answer.status}); use the final URL in the configuration.`,
      { status: answer.status, retryable: false, hint: 'Set the Odoo URL to where it redirects (often https://).' },
    );
  }
}

/**
 * Sends one request through `fetchImpl` and reads the whole answer. Throws the signal's reason when the caller
 * aborted, a retryable {@link OdooTransportError} on timeout or network failure, and a
 * non-retryable one when Odoo redirects (POST bodies do not survive redirects: use the final URL).
 */
export async function sendHttp(fetchImpl: FetchLike, request: HttpRequest): Promise<HttpAnswer> {
  request.signal.throwIfAborted();
  const target = describeTarget(request.method, request.url);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), request.timeoutMs);
  const { signal, dispose } = linkSignals([request.signal, timeout.signal]);
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'manual',
    });
    const body = await response.text();
    const answer: HttpAnswer = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body,
      target,
      location: response.headers.get('location'),
    };
    checkAnswer(answer);
    return answer;
  } catch (error) {
    if (request.signal.aborted) throw request.signal.reason;
    if (error instanceof OdooTransportError) throw error;
    if (timeout.signal.aborted) throw timeoutError(target, request.timeoutMs);
    throw errorFromNetworkFailure(error, target);
  } finally {
    clearTimeout(timer);
    dispose();
  }
}

/**
 * One signal that aborts when any of `signals` does (with that signal's reason). Unlike
 * `AbortSignal.any`, `dispose()` detaches it from long-lived sources (a client's own signal) at
 * once, so millions of requests leave no listeners behind.
 */
export function linkSignals(signals: ReadonlyArray<AbortSignal | undefined>): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const sources = signals.filter((s): s is AbortSignal => s !== undefined);
  const aborted = sources.find((s) => s.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const listeners = sources.map((source) => {
    const listener = () => controller.abort(source.reason);
    source.addEventListener('abort', listener, { once: true });
    return () => source.removeEventListener('abort', listener);
  });
  return { signal: controller.signal, dispose: () => listeners.forEach((remove) => remove()) };
}

/** Waits for `promise` but gives up (with the signal's reason) when `signal` aborts first. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
