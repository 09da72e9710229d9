/**
 * Retries of Microsoft 365 requests: transient failures (network, Entra outage, a cache changed
 * underneath) are retried; what is left becomes a typed error. Never signs anyone out.
 * @module
 */
import type { Logger, RetryOptions } from '@odoo-sync/core';
import { ConfigError, isOdooSyncError, Ms365UnavailableError, OdooSyncError, ReauthRequiredError } from '@odoo-sync/core/errors';
import { withTransientRetry } from '@odoo-sync/core/retry';
import { StaleCacheError } from './cache-plugin.js';
import type { Ms365Emitter } from './events.js';
import { classifyMsalError, msalErrorDetails, isClientConfigurationFailure, type MsalErrorDetails } from './msal-errors.js';

const DEFAULT_RETRY: Required<RetryOptions> = { retries: 3, minTimeoutMs: 500, maxTimeoutMs: 5000, factor: 2 };

/** Retries with the options' `retry` settings (or none when `false`), logging and emitting `request:retried`. */
export class MsalRetry {
  readonly #retry: Required<RetryOptions> | false;
  readonly #logger: Logger;
  readonly #events: Ms365Emitter;

  constructor(retry: RetryOptions | false | undefined, logger: Logger, events: Ms365Emitter) {
    this.#retry = retry === false ? false : { ...DEFAULT_RETRY, ...retry };
    this.#logger = logger;
    this.#events = events;
  }

  /** Retries transient failures; wraps what is left in a typed error. Never signs anyone out. */
  async withRetry<T>(userId: string | null, task: () => Promise<T>): Promise<T> {
    try {
      return await this.retrying(userId, task);
    } catch (error) {
      throw this.finalError(userId, error);
    }
  }

  /** Runs `task`, retrying transient failures (network, Entra outage, a cache changed underneath). */
  async retrying<T>(userId: string | null, task: () => Promise<T>): Promise<T> {
    return withTransientRetry(() => task(), {
      retry: this.#retry,
      isTransient: isRetryable,
      onFailure: ({ error, attemptNumber, retriesLeft }) => {
        if (!isRetryable(error)) return;
        const errorCode = error instanceof StaleCacheError ? 'stale_cache' : msalErrorDetails(error).errorCode;
        this.#logger.warn({ userId, attemptNumber, retriesLeft, errorCode }, 'Microsoft 365 request failed; retrying');
        this.#events.emit('request:retried', { userId, attempt: attemptNumber, retriesLeft, errorCode });
      },
    });
  }

  /** The typed error a failure that outlived the retries becomes. */
  finalError(userId: string | null, error: unknown): unknown {
    if (error instanceof StaleCacheError) {
      return new Ms365UnavailableError('The Microsoft 365 session changed repeatedly while refreshing; please try again.', { cause: error });
    }
    if (isOdooSyncError(error)) return error;
    const kind = classifyMsalError(error);
    const details = msalErrorDetails(error);
    if (kind === 'transient') {
      this.#logger.error({ userId, ...details }, 'Microsoft 365 unreachable after retries; session kept');
      return new Ms365UnavailableError(undefined, { cause: error });
    }
    if (isClientConfigurationFailure(error)) {
      this.#logger.error({ userId, ...details }, 'Entra refused the app credentials');
      return credentialsRefused(error, details);
    }
    this.#logger.error({ userId, ...details }, 'Microsoft 365 token request failed; session kept');
    return new OdooSyncError(`The Microsoft 365 token request failed (${details.errorCode}).`, { cause: error });
  }
}

/** The `ConfigError` of a request Entra refused for the app's own credentials. */
export function credentialsRefused(error: unknown, details: MsalErrorDetails): ConfigError {
  return new ConfigError('Microsoft 365 refused this application’s credentials.', [{ path: 'MS365_CLIENT_SECRET', message: details.errorCode }], {
    cause: error,
    hint: 'Check MS365_CLIENT_ID and MS365_CLIENT_SECRET (client secrets expire) in the app registration.',
  });
}

function isRetryable(error: unknown): boolean {
  if (error instanceof StaleCacheError) return true;
  if (isOdooSyncError(error)) return error.retryable && !(error instanceof ReauthRequiredError);
  return classifyMsalError(error) === 'transient';
}
