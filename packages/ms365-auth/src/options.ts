/**
 * Options of {@link Ms365TokenRefresher} and their validation.
 * @module
 */
import type { INetworkModule } from '@azure/msal-node';
import type { Clock, LockStore, Logger, RetryOptions, TokenStore } from '@odoo-sync/core';
import { ConfigError, type InputIssue } from '@odoo-sync/core/errors';
import type { ReauthMark } from './cache-payload.js';
import type { Keyring } from './keyring.js';
import type { PendingLoginStore } from './pending-logins.js';
import { acceptedTenants } from './tenants.js';

/** A client certificate registered on the app (instead of a client secret). */
export interface ClientCertificate {
  /** Hex SHA-256 thumbprint of the certificate. */
  thumbprintSha256: string;
  /** PEM private key (`-----BEGIN PRIVATE KEY-----…`). */
  privateKey: string;
  /** PEM certificate chain, for subject-name/issuer authentication. */
  x5c?: string;
}

/** What {@link Ms365TokenRefresherOptions.onReauthRequired} receives. */
export interface ReauthRequiredEvent {
  /** The user whose session ended. */
  userId: string;
  /** Why, when and Entra's error number. */
  mark: ReauthMark;
  /** Where the user signs in again. */
  loginUrl: string;
  /** Correlation id of the failed request, for Microsoft support. */
  correlationId: string | null;
}

/** Options of {@link Ms365TokenRefresher}. */
export interface Ms365TokenRefresherOptions {
  /** Application (client) id of the app registration. */
  clientId: string;
  /** Client secret. Give this or `clientCertificate`. */
  clientSecret?: string;
  /** Client certificate. Give this or `clientSecret`. */
  clientCertificate?: ClientCertificate;
  /**
   * Directory (tenant) id — a GUID for a single-tenant app — or `organizations` (any work
   * account) with {@link Ms365TokenRefresherOptions.allowedTenants}.
   */
  tenantId: string;
  /**
   * The directories (tenant GUIDs) whose accounts may sign in. With a GUID `tenantId` only that
   * tenant is accepted and this may be left out. With `organizations`, `common` or a tenant
   * named by domain it is required (the options are refused without it): a sign-in whose id
   * token carries another `tid` is refused.
   */
  allowedTenants?: readonly string[];
  /** The redirect URI registered on the app (platform **Web**, not SPA), e.g. `https://crm.example.com/api/auth/callback`. */
  redirectUri: string;
  /** Where encrypted token caches and pending logins live (shared by every replica). */
  store: TokenStore;
  /** The keyring (or its `TOKEN_KEYS` text) that encrypts caches at rest. */
  keyring: Keyring | string;
  /**
   * Scopes asked for at sign-in. MSAL adds `openid profile offline_access`.
   * @default ['User.Read', 'email']
   */
  loginScopes?: readonly string[];
  /**
   * Scopes of {@link Ms365TokenRefresher.getAccessToken} when none are given, and of the
   * pre-refresh job.
   * @default ['User.Read']
   */
  defaultScopes?: readonly string[];
  /**
   * Where a user whose session ended signs in again: the app's login route (it makes a fresh
   * Microsoft URL), carried by every `ReauthRequiredError`.
   * @default '/api/auth/login'
   */
  reauthLoginUrl?: string | ((userId: string) => string);
  /** Where sign-ins in progress are kept. @default pending logins in `store` */
  pendingLogins?: PendingLoginStore;
  /**
   * How long a login URL stays valid, in milliseconds.
   * @default 600000 (10 minutes)
   */
  loginTtlMs?: number;
  /**
   * Called (and awaited) when a user's session can no longer be refreshed, before
   * `ReauthRequiredError` is thrown — e.g. to set `reauthRequired: true` in the `UserStore`.
   * A failing hook is logged, never thrown.
   */
  onReauthRequired?: (event: ReauthRequiredEvent) => void | Promise<void>;
  /**
   * Retries of transient failures (network, Entra outage), or `false` for none.
   * @default { retries: 3, minTimeoutMs: 500, maxTimeoutMs: 5000, factor: 2 }
   */
  retry?: RetryOptions | false;
  /**
   * Longest wait for one answer from Entra, in milliseconds (on the injected clock); a
   * timeout is retried like a network failure.
   * @default 30000
   */
  requestTimeoutMs?: number;
  /**
   * How many users the pre-refresh job refreshes at once.
   * @default 4
   */
  refreshConcurrency?: number;
  /** Time source. @default systemClock */
  clock?: Clock;
  /** Structured logger. @default silentLogger */
  logger?: Logger;
  /**
   * Authority URL. Only for sovereign clouds and tests.
   * @default `https://login.microsoftonline.com/${tenantId}`
   */
  authority?: string;
  /** MSAL `knownAuthorities` (hosts trusted without instance discovery). For tests and B2C/ADFS. */
  knownAuthorities?: readonly string[];
  /** MSAL `authorityMetadata`: the OpenID configuration JSON, so no discovery request is made. */
  authorityMetadata?: string;
  /** MSAL `cloudDiscoveryMetadata`: the instance discovery JSON, so no discovery request is made. */
  cloudDiscoveryMetadata?: string;
  /**
   * MSAL `system.networkClient`. Tests point it at a fake Entra ID on 127.0.0.1; behind an
   * outbound proxy, give a client that uses it (msal-node 7 removed `proxyUrl`, and its own
   * client, Node's `fetch`, ignores `HTTPS_PROXY`).
   * @default MSAL's HTTP client (fetch)
   */
  networkClient?: INetworkModule;
  /** Leases for {@link Ms365TokenRefresher.startPreRefresh}, so one replica runs each pass. */
  locks?: LockStore;
  /**
   * Asked by the pre-refresh job before it refreshes a user: whether the person may still use
   * their Microsoft 365 session. `refresh` (what happens without this option); `skip`: keep
   * the cache but do not refresh it, and leave it off the job's list until it is written again
   * (e.g. nobody has used the app as this person lately); `sign_out`: delete the cache (e.g.
   * the person was rejected or removed). A policy that throws is logged and counted as failed;
   * the user is asked about again on the next pass.
   */
  refreshPolicy?: (userId: string) => RefreshVerdict | Promise<RefreshVerdict>;
  /**
   * Read the person's Microsoft Graph profile (`GET /v1.0/me`: their addresses and employee
   * id) at sign-in, with the access token just redeemed (needs `User.Read` in `loginScopes`).
   * A failed read never stops the sign-in: it is logged, emitted as `profile:read` and the
   * result's `profile` is `null`.
   * @default true
   */
  readProfile?: boolean;
  /**
   * Microsoft Graph base URL (sovereign clouds; tests point it at a `FakeEntraId`).
   * @default 'https://graph.microsoft.com'
   */
  graphBaseUrl?: string;
  /**
   * Longest wait for the profile, in milliseconds (on the injected clock).
   * @default 5000
   */
  graphTimeoutMs?: number;
  /** HTTP client of the profile read. @default globalThis.fetch */
  graphFetch?: typeof globalThis.fetch;
}

/** What {@link Ms365TokenRefresherOptions.refreshPolicy} decides for one user. */
export type RefreshVerdict = 'refresh' | 'skip' | 'sign_out';

/** Checks the options; throws {@link ConfigError} naming every problem. */
export function validateOptions(options: Ms365TokenRefresherOptions): void {
  const issues: InputIssue[] = [];
  const need = (path: string, value: unknown) => {
    if (typeof value !== 'string' || value.trim() === '') issues.push({ path, message: 'is required' });
  };
  need('clientId', options.clientId);
  need('tenantId', options.tenantId);
  need('redirectUri', options.redirectUri);
  if (!options.clientSecret && !options.clientCertificate) {
    issues.push({ path: 'clientSecret', message: 'a client secret or a client certificate is required' });
  }
  if (typeof options.redirectUri === 'string' && options.redirectUri !== '') {
    try {
      const url = new URL(options.redirectUri);
      const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        issues.push({ path: 'redirectUri', message: 'must be https (http only for localhost)' });
      }
    } catch {
      issues.push({ path: 'redirectUri', message: 'must be an absolute URL' });
    }
  }
  if (typeof options.store !== 'object' || options.store === null) issues.push({ path: 'store', message: 'is required' });
  if (options.loginTtlMs !== undefined && !(Number.isInteger(options.loginTtlMs) && options.loginTtlMs > 0)) {
    issues.push({ path: 'loginTtlMs', message: 'must be a positive integer' });
  }
  if (options.requestTimeoutMs !== undefined && !(Number.isInteger(options.requestTimeoutMs) && options.requestTimeoutMs > 0)) {
    issues.push({ path: 'requestTimeoutMs', message: 'must be a positive integer' });
  }
  if (
    options.refreshConcurrency !== undefined &&
    !(Number.isInteger(options.refreshConcurrency) && options.refreshConcurrency >= 1)
  ) {
    issues.push({ path: 'refreshConcurrency', message: 'must be an integer ≥ 1' });
  }
  if (options.graphTimeoutMs !== undefined && !(Number.isInteger(options.graphTimeoutMs) && options.graphTimeoutMs > 0)) {
    issues.push({ path: 'graphTimeoutMs', message: 'must be a positive integer' });
  }
  if (options.graphBaseUrl !== undefined) {
    try {
      const url = new URL(options.graphBaseUrl);
      const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        issues.push({ path: 'graphBaseUrl', message: 'must be https (http only for localhost)' });
      }
    } catch {
      issues.push({ path: 'graphBaseUrl', message: 'must be an absolute URL' });
    }
  }
  if (typeof options.tenantId === 'string' && options.tenantId.trim() !== '') acceptedTenants(options.tenantId, options.allowedTenants, issues);
  if (issues.length > 0) {
    throw new ConfigError(`Invalid Microsoft 365 options: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, issues);
  }
}
