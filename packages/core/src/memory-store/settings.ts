/**
 * The settings port in memory.
 * @module
 */
import type { JsonValue, SettingsStore } from '../ports.js';
import { copy, type OpenGuard } from './shared.js';

/** {@link SettingsStore} in memory. */
export class MemorySettings implements SettingsStore {
  readonly #open: OpenGuard;
  readonly #settings = new Map<string, JsonValue>();

  /** @param open Throws when the store is closed. */
  constructor(open: OpenGuard) {
    this.#open = open;
  }

  /** Everything held, for the inspector's dump. */
  dump(): Array<[string, JsonValue]> {
    return [...this.#settings.entries()];
  }

  async getSetting(key: string): Promise<JsonValue | undefined> {
    this.#open();
    const value = this.#settings.get(key);
    return value === undefined ? undefined : copy(value);
  }

  async setSetting(key: string, value: JsonValue): Promise<void> {
    this.#open();
    this.#settings.set(key, copy(value));
  }
}
