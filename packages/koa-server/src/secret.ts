/**
 * A wrapper that keeps secrets out of logs, errors and `console.log` output.
 * @module
 */
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret value (password, API key, token). Printing, logging or serialising it shows
 * `[redacted]`; only {@link Secret.reveal} gives the value, at the one place that needs it.
 *
 * @example
 * ```ts
 * const key = new Secret(process.env.ODOO_API_KEY!);
 * console.log(key);           // [redacted]
 * client.login(key.reveal()); // the real value
 * ```
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Never log it. */
  reveal(): string {
    return this.#value;
  }

  /** Always `[redacted]`. */
  toString(): string {
    return REDACTED;
  }

  /** Always `"[redacted]"`. */
  toJSON(): string {
    return REDACTED;
  }

  /** Always `[redacted]` (for `console.log` and `util.inspect`). */
  [inspect.custom](): string {
    return REDACTED;
  }
}
