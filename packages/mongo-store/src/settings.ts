/**
 * The settings port on MongoDB (`settings`): small JSON values by key.
 * @module
 */
import type { JsonValue, SettingsStore } from '@odoo-sync/core';
import { MONGO_COLLECTIONS } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { SettingDoc } from './documents.js';

/** {@link SettingsStore} over a shared {@link MongoConnection}. */
export class MongoSettings implements SettingsStore {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async getSetting(key: string): Promise<JsonValue | undefined> {
    return this.#conn.run('getSetting', async () => {
      const settings = await this.#conn.collection<SettingDoc>(MONGO_COLLECTIONS.settings);
      const doc = await settings.findOne({ _id: key });
      return doc === null ? undefined : doc.value;
    });
  }

  /** @inheritDoc */
  async setSetting(key: string, value: JsonValue): Promise<void> {
    await this.#conn.run('setSetting', async () => {
      const settings = await this.#conn.collection<SettingDoc>(MONGO_COLLECTIONS.settings);
      await settings.replaceOne({ _id: key }, { value }, { upsert: true });
    });
  }
}
