/**
 * The encrypted, versioned view of a {@link TokenStore}: reads open and parse a user's entry,
 * writes seal it with the current key and compare-and-set on the entry's version.
 * @module
 */
import type { Clock, TokenEntry, TokenStore } from '@odoo-sync/core';
import { StoreError, TokenUnreadableError, isOdooSyncError } from '@odoo-sync/core/errors';
import { accessTokenExpiry, type CachePayload, parsePayload } from './cache-payload.js';
import { openBlob, sealBlob } from './envelope.js';
import type { Keyring } from './keyring.js';

/** The result of reading a user's entry. */
export type VaultRead =
  | { kind: 'absent' }
  | { kind: 'unreadable'; entry: TokenEntry; error: TokenUnreadableError }
  | { kind: 'ok'; entry: TokenEntry; payload: CachePayload; stale: boolean };

/** Reads and writes sealed cache payloads in a {@link TokenStore}. */
export class TokenVault {
  readonly #store: TokenStore;
  readonly #keyring: Keyring;
  readonly #clock: Clock;

  /** Seals with `keyring` into `store`; `clock` stamps the writes. */
  constructor(store: TokenStore, keyring: Keyring, clock: Clock) {
    this.#store = store;
    this.#keyring = keyring;
    this.#clock = clock;
  }

  /** The store underneath. */
  get store(): TokenStore {
    return this.#store;
  }

  /** The keyring in use. */
  get keyring(): Keyring {
    return this.#keyring;
  }

  /** Reads and opens the entry under `key`. Never throws for a bad blob: reports it as `unreadable`. */
  async read(key: string): Promise<VaultRead> {
    const entry = await storeCall(() => this.#store.getToken(key));
    if (!entry) return { kind: 'absent' };
    try {
      const opened = openBlob(this.#keyring, key, entry.blob);
      let payload: CachePayload;
      try {
        payload = parsePayload(opened.plaintext);
      } catch (cause) {
        throw new TokenUnreadableError('The decrypted token entry is not a token cache payload.', { cause });
      }
      return { kind: 'ok', entry, payload, stale: opened.stale };
    } catch (error) {
      if (error instanceof TokenUnreadableError) return { kind: 'unreadable', entry, error };
      throw error;
    }
  }

  /**
   * Seals `payload` with the current key and writes it when the stored version is still
   * `expectedVersion` (`null`: only when absent). Throws `ConflictError` otherwise.
   */
  async write(key: string, payload: CachePayload, expectedVersion: number | null): Promise<TokenEntry> {
    const blob = sealBlob(this.#keyring, key, JSON.stringify(payload));
    const expiresAt = payload.status === 'active' ? accessTokenExpiry(payload.msal) : null;
    return storeCall(() => this.#store.putToken(key, { blob, expiresAt }, expectedVersion, this.#clock.now()));
  }

  /** Seals and writes any plaintext (pending logins), with an explicit `expiresAt`. */
  async writeRaw(key: string, plaintext: string, expiresAt: Date | null, expectedVersion: number | null): Promise<TokenEntry> {
    const blob = sealBlob(this.#keyring, key, plaintext);
    return storeCall(() =>
      this.#store.putToken(key, { blob, expiresAt: expiresAt?.toISOString() ?? null }, expectedVersion, this.#clock.now()),
    );
  }

  /** Opens any blob written by {@link TokenVault.writeRaw}. Throws {@link TokenUnreadableError}. */
  openRaw(key: string, entry: TokenEntry): string {
    return openBlob(this.#keyring, key, entry.blob).plaintext;
  }
}

/** Runs a store call, wrapping a non-odoo-sync failure in {@link StoreError}. */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isOdooSyncError(error)) throw error;
    throw new StoreError('The token store call failed.', { cause: error });
  }
}
