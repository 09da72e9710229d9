/**
 * What a store adapter hands the contract suite.
 * @module
 */
import type { EntityName } from '../entities.js';
import type { SyncStore } from '../ports.js';

/**
 * Reads the store's database directly, around the port, so the contract suite checks what
 * really landed (Auth.js's `db` hook is the model).
 */
export interface StoreInspector {
  /** The raw stored form (row or document) of one synced record, or `null` when absent. */
  rawRecord(entity: EntityName, odooId: number): Promise<Record<string, unknown> | null>;
  /** The raw stored form (row or document) of one user, or `null` when absent. */
  rawUser(id: string): Promise<Record<string, unknown> | null>;
  /**
   * Every value the store holds, serialised as text (all tables or collections), so a test can
   * search it for secrets that must never be stored in plain text.
   */
  dumpText(): Promise<string>;
}

/** A fresh, empty store for one test, with its inspector and clean-up. */
export interface StoreHarness {
  /** The store under test; empty. */
  store: SyncStore;
  /** Direct reads of its database. */
  inspect: StoreInspector;
  /** Makes a second store on the same database (another "replica"), when the adapter can. */
  openSibling?: () => Promise<SyncStore>;
  /** Closes and deletes what the harness made. Called after each test. */
  cleanup?: () => Promise<void>;
}

/** Capabilities that let a store skip exactly the contract cases it cannot honour. */
export interface StoreCapabilities {
  /**
   * Concurrent lease acquisitions are exclusive (false only for stand-in servers without
   * atomic conditional upserts, such as jongodb).
   * @default true
   */
  exclusiveLocks?: boolean;
}

/** Options of {@link runStoreContract}. */
export interface StoreContractOptions {
  /** What the store can do; cases it cannot honour are skipped with the reason. */
  capabilities?: StoreCapabilities;
  /** Store-specific cases, run inside the same `describe`. */
  additionalTests?: (getHarness: () => StoreHarness) => void;
}
