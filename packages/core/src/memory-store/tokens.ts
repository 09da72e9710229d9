/**
 * The token-cache port in memory.
 * @module
 */
import { ConflictError } from '../errors.js';
import type { TokenEntry, TokenStore } from '../ports.js';
import { copy, type OpenGuard } from './shared.js';

/** {@link TokenStore} in memory. */
export class MemoryTokens implements TokenStore {
  readonly #open: OpenGuard;
  readonly #tokens = new Map<string, TokenEntry>();

  /** @param open Throws when the store is closed. */
  constructor(open: OpenGuard) {
    this.#open = open;
  }

  /** Everything held, for the inspector's dump. */
  dump(): TokenEntry[] {
    return [...this.#tokens.values()];
  }

  async getToken(key: string): Promise<TokenEntry | null> {
    this.#open();
    const entry = this.#tokens.get(key);
    return entry ? copy(entry) : null;
  }

  async putToken(
    key: string,
    value: { blob: string; expiresAt: string | null },
    expectedVersion: number | null,
    at: Date,
  ): Promise<TokenEntry> {
    this.#open();
    const current = this.#tokens.get(key);
    if ((current?.version ?? null) !== expectedVersion) {
      throw new ConflictError(`The token entry changed since it was read (expected version ${String(expectedVersion)}).`, {
        retryable: true,
      });
    }
    const entry: TokenEntry = {
      key,
      blob: value.blob,
      version: (current?.version ?? 0) + 1,
      expiresAt: value.expiresAt,
      updatedAt: at.toISOString(),
    };
    this.#tokens.set(key, entry);
    return copy(entry);
  }

  async deleteToken(key: string): Promise<boolean> {
    this.#open();
    return this.#tokens.delete(key);
  }

  async listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]> {
    this.#open();
    return [...this.#tokens.values()]
      .filter((t) => t.expiresAt !== null && Date.parse(t.expiresAt) < before.getTime())
      .sort((a, b) => Date.parse(a.expiresAt ?? '') - Date.parse(b.expiresAt ?? '') || (a.key < b.key ? -1 : 1))
      .slice(0, limit)
      .map(copy);
  }
}
