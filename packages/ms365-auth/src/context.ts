/**
 * What the parts of the sign-in service share: the options, the clock and logger, the encrypted
 * vault, the MSAL clients, retries, the per-user queues and the event emitter.
 * @module
 */
import { type Clock, type Logger, silentLogger, systemClock } from '@odoo-sync/core';
import type { Ms365Emitter, Ms365Events } from './events.js';
import { type Keyring, parseKeyring } from './keyring.js';
import { MsalClients } from './msal-client.js';
import { MsalRetry } from './msal-retry.js';
import type { Ms365TokenRefresherOptions } from './options.js';
import { TokenVault } from './token-vault.js';
import { UserQueue } from './user-queue.js';

/** The shared dependencies of sign-in, token acquisition, sessions and the pre-refresh loop. */
export interface Ms365Context {
  /** The validated options. */
  readonly options: Ms365TokenRefresherOptions;
  /** The parsed keyring. */
  readonly keyring: Keyring;
  /** The injected clock. */
  readonly clock: Clock;
  /** Where the parts log (never tokens). */
  readonly logger: Logger;
  /** The encrypted, versioned token caches. */
  readonly vault: TokenVault;
  /** The emitter of {@link Ms365Events} (the public façade). */
  readonly events: Ms365Emitter;
  /** MSAL client set-up. */
  readonly msal: MsalClients;
  /** Retries of Microsoft 365 requests. */
  readonly retry: MsalRetry;
  /** Per-user queues, shared so a sign-in, a refresh and a sign-out of one user never overlap. */
  readonly queue: UserQueue;
  /** The URL a user whose session ended signs in again at (from `reauthLoginUrl`). */
  reauthLoginUrl(userId: string): string;
}

/** Builds the shared context from validated options. Connects to nothing. */
export function createContext(options: Ms365TokenRefresherOptions, events: Ms365Emitter): Ms365Context {
  const keyring = typeof options.keyring === 'string' ? parseKeyring(options.keyring) : options.keyring;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const vault = new TokenVault(options.store, keyring, clock);
  return {
    options,
    keyring,
    clock,
    logger,
    vault,
    events,
    msal: new MsalClients(options, vault, clock, logger, events),
    retry: new MsalRetry(options.retry, logger, events),
    queue: new UserQueue(),
    reauthLoginUrl: (userId) => {
      const option = options.reauthLoginUrl ?? '/api/auth/login';
      return typeof option === 'function' ? option(userId) : option;
    },
  };
}
