/**
 * The token port on SQLite (`tokens`): encrypted token caches per partition, written by
 * compare-and-set on their version.
 * @module
 */
import type { TokenEntry, TokenStore } from '@odoo-sync/core';
import { ConflictError } from '@odoo-sync/core/errors';
import type { SqliteConnection } from './connection.js';
import { boundMs, epochMs } from './sql.js';

interface TokenRow {
  key: string;
  blob: string;
  version: number;
  expires_at: string | null;
  updated_at: string;
}

const TOKEN_COLUMNS = 'key, blob, version, expires_at, updated_at';

function toTokenEntry(row: TokenRow): TokenEntry {
  return { key: row.key, blob: row.blob, version: row.version, expiresAt: row.expires_at, updatedAt: row.updated_at };
}

/** {@link TokenStore} over a shared {@link SqliteConnection}. */
export class SqliteTokens implements TokenStore {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async getToken(key: string): Promise<TokenEntry | null> {
    return this.#conn.call('getToken', (db) => {
      const row = this.#conn.stmt(db, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE key = ?`).get(key) as TokenRow | undefined;
      return row ? toTokenEntry(row) : null;
    });
  }

  /** @inheritDoc */
  async putToken(key: string, value: { blob: string; expiresAt: string | null }, expectedVersion: number | null, at: Date): Promise<TokenEntry> {
    return this.#conn.call('putToken', (db) => {
      const updatedAt = at.toISOString();
      const expiresMs = epochMs(value.expiresAt ?? null);
      // Compare-and-set in one statement: the version check and the write cannot be split by
      // another connection.
      const row = (
        expectedVersion === null
          ? this.#conn
              .stmt(
                db,
                `INSERT INTO tokens (key, blob, version, expires_at, expires_ms, updated_at) VALUES (?, ?, 1, ?, ?, ?)
               ON CONFLICT (key) DO NOTHING RETURNING ${TOKEN_COLUMNS}`,
              )
              .get(key, value.blob, value.expiresAt ?? null, expiresMs, updatedAt)
          : this.#conn
              .stmt(
                db,
                `UPDATE tokens SET blob = ?, version = version + 1, expires_at = ?, expires_ms = ?, updated_at = ?
               WHERE key = ? AND version = ? RETURNING ${TOKEN_COLUMNS}`,
              )
              .get(value.blob, value.expiresAt ?? null, expiresMs, updatedAt, key, expectedVersion)
      ) as TokenRow | undefined;
      if (!row) {
        throw new ConflictError(`The token entry changed since it was read (expected version ${String(expectedVersion)}).`, {
          retryable: true,
        });
      }
      return toTokenEntry(row);
    });
  }

  /** @inheritDoc */
  async deleteToken(key: string): Promise<boolean> {
    return this.#conn.call('deleteToken', (db) => this.#conn.stmt(db, 'DELETE FROM tokens WHERE key = ?').run(key).changes > 0);
  }

  /** @inheritDoc */
  async listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]> {
    return this.#conn.call('listTokensExpiringBefore', (db) => {
      const max = Math.max(0, Math.trunc(limit));
      if (max === 0 || Number.isNaN(max)) return [];
      const rows = this.#conn
        .stmt(db, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE expires_ms IS NOT NULL AND expires_ms < ? ORDER BY expires_ms, key LIMIT ?`)
        .all(boundMs(before), Number.isFinite(max) ? max : -1) as TokenRow[];
      return rows.map(toTokenEntry);
    });
  }
}
