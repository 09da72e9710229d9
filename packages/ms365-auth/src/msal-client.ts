/**
 * MSAL client setup: the authority, the confidential client of one operation (credentials,
 * network client, logging without PII), the cache plugin wiring, and a timeout on each call.
 * @module
 */
import { type Configuration, ConfidentialClientApplication, type ICachePlugin, LogLevel } from '@azure/msal-node';
import type { Clock, Logger } from '@odoo-sync/core';
import { PartitionCachePlugin } from './cache-plugin.js';
import type { Ms365Emitter } from './events.js';
import type { Ms365TokenRefresherOptions } from './options.js';
import type { TokenVault, VaultRead } from './token-vault.js';

/** The authority of the options: `authority`, else `https://login.microsoftonline.com/<tenantId>`, without a trailing slash. */
export function authorityOf(options: Ms365TokenRefresherOptions): string {
  return (options.authority ?? `https://login.microsoftonline.com/${options.tenantId}`).replace(/\/+$/, '');
}

/** Makes the MSAL clients and cache plugins of the sign-in service's operations. */
export class MsalClients {
  /** The authority every client signs in at. */
  readonly authority: string;
  readonly #options: Ms365TokenRefresherOptions;
  readonly #vault: TokenVault;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #events: Ms365Emitter;

  constructor(options: Ms365TokenRefresherOptions, vault: TokenVault, clock: Clock, logger: Logger, events: Ms365Emitter) {
    this.#options = options;
    this.#vault = vault;
    this.#clock = clock;
    this.#logger = logger;
    this.#events = events;
    this.authority = authorityOf(options);
  }

  /** The cache plugin of one operation, primed with the entry the operation already read. */
  plugin(key: string, primed: VaultRead): PartitionCachePlugin {
    return new PartitionCachePlugin(this.#vault, key, {
      primed,
      logger: this.#logger,
      onWrite: (report) => this.#events.emit('cache:written', report),
    });
  }

  /** One MSAL client per operation: its in-memory cache holds one user, for one operation. */
  client(cachePlugin?: ICachePlugin): ConfidentialClientApplication {
    const o = this.#options;
    const logger = this.#logger;
    const config: Configuration = {
      auth: {
        clientId: o.clientId,
        authority: this.authority,
        ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}),
        ...(o.clientCertificate ? { clientCertificate: { ...o.clientCertificate } } : {}),
        ...(o.knownAuthorities ? { knownAuthorities: [...o.knownAuthorities] } : {}),
        ...(o.authorityMetadata ? { authorityMetadata: o.authorityMetadata } : {}),
        ...(o.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: o.cloudDiscoveryMetadata } : {}),
      },
      ...(cachePlugin ? { cache: { cachePlugin } } : {}),
      system: {
        ...(o.networkClient ? { networkClient: o.networkClient } : {}),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii) return;
            logger.debug({ msalLevel: LogLevel[level] }, message);
          },
        },
      },
    };
    return new ConfidentialClientApplication(config);
  }

  /**
   * Bounds one MSAL call: MSAL's HTTP client (fetch, in msal-node 7) sets no timeout on token
   * requests, and a request hanging on a dead connection would hold the user's queue. A timeout
   * counts as a network failure (retried; never a sign-out). The abandoned call may still finish and write its
   * cache, which compare-and-set makes harmless.
   */
  timed<T>(call: Promise<T>): Promise<T> {
    const ms = this.#options.requestTimeoutMs ?? 30_000;
    return new Promise<T>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        reject(Object.assign(new Error(`The Microsoft 365 request timed out after ${ms} ms.`), { name: 'TimeoutError', code: 'ETIMEDOUT' }));
      }, ms);
      call.then(
        (value) => {
          this.#clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.#clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Microsoft's own sign-out URL at this authority. */
  logoutUrl(postLogoutRedirectUri?: string): string {
    const url = new URL(`${this.authority}/oauth2/v2.0/logout`);
    if (postLogoutRedirectUri) url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
    return url.toString();
  }
}
