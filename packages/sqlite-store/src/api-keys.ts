/**
 * The API-key half of the user port on SQLite (`api_keys`): key records, stored by hash only.
 * @module
 */
import type { ApiKey, UserStore } from '@odoo-sync/core';
import { ConflictError } from '@odoo-sync/core/errors';
import type { SqliteConnection } from './connection.js';
import { epochMs } from './sql.js';

/** The API-key methods of {@link UserStore}. */
export type ApiKeyRecords = Pick<UserStore, 'createApiKey' | 'findApiKeyByHash' | 'listApiKeys' | 'touchApiKey' | 'revokeApiKey'>;

interface ApiKeyRow {
  id: string;
  user_id: string;
  key_hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const API_KEY_COLUMNS = 'id, user_id, key_hash, label, created_at, last_used_at, revoked_at';

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    userId: row.user_id,
    keyHash: row.key_hash,
    label: row.label,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** The API-key methods of {@link UserStore} over a shared {@link SqliteConnection}. */
export class SqliteApiKeys implements ApiKeyRecords {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async createApiKey(key: ApiKey): Promise<ApiKey> {
    return this.#conn.call('createApiKey', (db) =>
      this.#conn.write(db, () => {
        if (this.#conn.stmt(db, 'SELECT 1 FROM api_keys WHERE id = ?').get(key.id) !== undefined) {
          throw new ConflictError(`An API key with id ${key.id} already exists.`);
        }
        if (this.#conn.stmt(db, 'SELECT 1 FROM api_keys WHERE key_hash = ?').get(key.keyHash) !== undefined) {
          throw new ConflictError('An API key with this hash already exists.');
        }
        this.#conn
          .stmt(
            db,
            `INSERT INTO api_keys (id, user_id, key_hash, label, created_at, created_ms, last_used_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(key.id, key.userId, key.keyHash, key.label, key.createdAt, epochMs(key.createdAt), key.lastUsedAt ?? null, key.revokedAt ?? null);
        return toApiKey({
          id: key.id,
          user_id: key.userId,
          key_hash: key.keyHash,
          label: key.label,
          created_at: key.createdAt,
          last_used_at: key.lastUsedAt ?? null,
          revoked_at: key.revokedAt ?? null,
        });
      }),
    );
  }

  /** @inheritDoc */
  async findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.#conn.call('findApiKeyByHash', (db) => {
      const row = this.#conn.stmt(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`).get(keyHash) as
        | ApiKeyRow
        | undefined;
      return row ? toApiKey(row) : null;
    });
  }

  /** @inheritDoc */
  async listApiKeys(userId: string): Promise<ApiKey[]> {
    return this.#conn.call('listApiKeys', (db) =>
      (this.#conn.stmt(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY created_ms, id`).all(userId) as ApiKeyRow[]).map(toApiKey),
    );
  }

  /** @inheritDoc */
  async touchApiKey(id: string, at: Date): Promise<void> {
    this.#conn.call('touchApiKey', (db) => {
      this.#conn.stmt(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at.toISOString(), id);
    });
  }

  /** @inheritDoc */
  async revokeApiKey(id: string, at: Date): Promise<boolean> {
    return this.#conn.call(
      'revokeApiKey',
      (db) => this.#conn.stmt(db, 'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at.toISOString(), id).changes > 0,
    );
  }
}
