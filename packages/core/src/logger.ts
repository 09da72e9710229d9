/**
 * The logger collaborator. Structured: one event per call, fields first, then a message.
 * pino's logger fits as it is.
 * @module
 */

/** A structured logger (pino-compatible). Never pass tokens, API keys or passwords in `fields`. */
export interface Logger {
  /** Debug detail. */
  debug(fields: Record<string, unknown>, message: string): void;
  /** Normal operation. */
  info(fields: Record<string, unknown>, message: string): void;
  /** Something odd that did not stop the work. */
  warn(fields: Record<string, unknown>, message: string): void;
  /** A failure. */
  error(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
