/**
 * The whole store: every port, plus a connection that can be checked and closed.
 * @module
 */
import type { ActivityPorts } from './activities.js';
import type { IdempotencyPorts } from './idempotency.js';
import type { IdentityPorts } from './identity.js';
import type { SyncPorts } from './sync.js';

/** A store's connection: checked by health probes, closed on shutdown. */
export interface StoreLifecycle {
  /**
   * Resolves when the store answers; throws {@link @odoo-sync/core/errors!StoreError | StoreError}
   * otherwise.
   */
  ping(): Promise<void>;
  /** Releases connections and files. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A store that implements every store port ({@link SyncPorts}, {@link IdentityPorts} and
 * {@link ActivityPorts}, {@link IdempotencyPorts}) and can be pinged and closed: what the server needs, and what the
 * all-in-one contract suite (`runStoreContract`) checks.
 */
export interface SyncStore extends SyncPorts, IdentityPorts, ActivityPorts, IdempotencyPorts, StoreLifecycle {}
