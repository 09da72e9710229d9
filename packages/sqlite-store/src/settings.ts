/**
 * The settings port on SQLite: small JSON values by key (`settings`).
 * @module
 */
import type { JsonValue, SettingsStore } from '@odoo-sync/core';
import type { SqliteConnection } from './connection.js';

/** {@link SettingsStore} over a shared {@link SqliteConnection}. */
export class SqliteSettings implements SettingsStore {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async getSetting(key: string): Promise<JsonValue | undefined> {
    return this.#conn.call('getSetting', (db) => {
      const text = this.#conn.stmt(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
      return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
    });
  }

  /** @inheritDoc */
  async setSetting(key: string, value: JsonValue): Promise<void> {
    this.#conn.call('setSetting', (db) => {
      this.#conn
        .stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(key, JSON.stringify(value));
    });
  }
}
