/**
 * The store contract suite every store adapter runs, with the test harness, a manual clock
 * and the benchmark helpers.
 *
 * @module @odoo-sync/core/testing
 */

// The contract suites: one per group of ports, and one for a whole store.
export { runActivityContract, runIdempotencyContract, runIdentityContract, runStoreContract, runSyncContract } from './contract/index.js';
// What a store's test gives the suites: a fresh store, a way to look inside it, its capabilities.
export type {
  ActivityHarness,
  ContractHarness,
  ContractOptions,
  IdempotencyHarness,
  IdentityHarness,
  IdentityInspector,
  RecordInspector,
  StoreCapabilities,
  StoreContractOptions,
  StoreHarness,
  StoreInspector,
  SyncHarness,
} from './harness.js';
// A record to write in a store's own tests, and the clock the suites use.
export { contactWrite } from './contract/index.js';
// An entity that is not built in, written by the sync contract (open stores with it to get its index).
export { CONTRACT_ENTITY } from './contract/entities.js';
export { ManualClock } from '../clock.js';
// The store benchmark (`pnpm bench:store`).
export { runStoreBenchmark, type StoreBenchmarkOptions, type StoreBenchmarkPhase } from './bench.js';
