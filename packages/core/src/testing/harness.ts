/**
 * What a store adapter hands the contract suites.
 * @module
 */
import type { EntityName } from '../entities/entities.js';
import type { ActivityPorts, IdempotencyPorts, IdentityPorts, SyncPorts, SyncStore } from '../ports.js';

/** Reads synced records straight from the store's database, around the port. */
export interface RecordInspector {
  /** The raw stored form (row or document) of one synced record, or `null` when absent. */
  rawRecord(entity: EntityName, odooId: number): Promise<Record<string, unknown> | null>;
}

/** Reads users and everything held straight from the store's database, around the port. */
export interface IdentityInspector {
  /** The raw stored form (row or document) of one user, or `null` when absent. */
  rawUser(id: string): Promise<Record<string, unknown> | null>;
  /**
   * Every value the store holds, serialised as text (all tables or collections), so a test can
   * search it for secrets that must never be stored in plain text.
   */
  dumpText(): Promise<string>;
}

/**
 * Reads the store's database directly, around the port, so the contract suite checks what
 * really landed (Auth.js's `db` hook is the model).
 */
export interface StoreInspector extends RecordInspector, IdentityInspector {}

/** A fresh, empty store of type `S` for one test, with its clean-up. */
export interface ContractHarness<S> {
  /** The store under test; empty. */
  store: S;
  /** Makes a second store on the same database (another "replica"), when the adapter can. */
  openSibling?: () => Promise<S>;
  /**
   * Closes and deletes what the harness made. Called after each test, after the suite has
   * called the store's `close()` (when it has one).
   */
  cleanup?: () => Promise<void>;
}

/** A fresh, empty store implementing every port, with its inspector and clean-up. */
export interface StoreHarness extends ContractHarness<SyncStore> {
  /** Direct reads of its database. */
  inspect: StoreInspector;
}

/** A fresh, empty store implementing the sync ports, for {@link runSyncContract}. */
export interface SyncHarness extends ContractHarness<SyncPorts> {
  /** Direct reads of its records. */
  inspect: RecordInspector;
}

/** A fresh, empty store implementing the identity ports, for {@link runIdentityContract}. */
export interface IdentityHarness extends ContractHarness<IdentityPorts> {
  /** Direct reads of its users and of everything it holds. */
  inspect: IdentityInspector;
}

/** A fresh, empty store implementing the activity ports, for {@link runActivityContract}. */
export type ActivityHarness = ContractHarness<ActivityPorts>;

/** A fresh, empty store implementing the idempotency ports, for `runIdempotencyContract`. */
export type IdempotencyHarness = ContractHarness<IdempotencyPorts>;

/** Capabilities that let a store skip exactly the contract cases it cannot honour. */
export interface StoreCapabilities {
  /**
   * Concurrent lease acquisitions are exclusive (false only for stand-in servers without
   * atomic conditional upserts, such as jongodb).
   * @default true
   */
  exclusiveLocks?: boolean;
}

/** Options of a contract suite ({@link runStoreContract}, {@link runSyncContract}, …). */
export interface ContractOptions<H> {
  /** What the store can do; cases it cannot honour are skipped with the reason. */
  capabilities?: StoreCapabilities;
  /** Store-specific cases, run inside the same `describe`. */
  additionalTests?: (getHarness: () => H) => void;
}

/** Options of {@link runStoreContract}. */
export type StoreContractOptions = ContractOptions<StoreHarness>;
