/**
 * The contract suites: one per concern (sync, identity, activities), each runnable on its own
 * against a store that implements only those ports, and the all-in-one store contract.
 * @module
 */
export { contactWrite } from './fixtures.js';
export { runSyncContract } from './sync.js';
export { runIdentityContract } from './identity.js';
export { runActivityContract } from './activities.js';
export { runIdempotencyContract } from './idempotency.js';
export { runStoreContract } from './store.js';
