/**
 * Structured logs with pino, shaped as core's {@link Logger}.
 * @module
 */
import type { Logger } from '@odoo-sync/core';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config.js';

/** A core {@link Logger} that can also make children carrying fixed fields (`requestId`, `runId`). */
export interface ServerLogger extends Logger {
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): ServerLogger;
}

/** Field names whose values are replaced by `[redacted]` wherever they appear (two levels deep). */
export const REDACTED_FIELDS = [
  'authorization',
  'apiKey',
  'api_key',
  'password',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'cookie',
  'smtpUrl',
  'storeUrl',
] as const;

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
  /** Fields on every line. */
  base?: Record<string, unknown>;
}

/**
 * A pino logger: JSON, one event per line, with `time`, `level`, `msg` and the given fields.
 * Fields that hold secrets (`authorization`, `apiKey`, `password`, `secret`, `token`, `cookie`,
 * `smtpUrl`, `storeUrl`, …) are redacted two levels deep, as a second line of defence: callers
 * already never pass secrets.
 */
export function createLogger(options: CreateLoggerOptions = {}): ServerLogger {
  const paths = REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]);
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { service: 'odoo-sync', ...options.base },
      redact: { paths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
  return wrap(logger);
}

function wrap(logger: PinoLogger): ServerLogger {
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    child: (bindings) => wrap(logger.child(bindings)),
  };
}

/** Gives any core {@link Logger} a `child` (fields merged into each call). */
export function toServerLogger(logger: Logger): ServerLogger {
  if (typeof (logger as Partial<ServerLogger>).child === 'function') return logger as ServerLogger;
  const withBindings = (bindings: Record<string, unknown>): ServerLogger => ({
    debug: (fields, message) => logger.debug({ ...bindings, ...fields }, message),
    info: (fields, message) => logger.info({ ...bindings, ...fields }, message),
    warn: (fields, message) => logger.warn({ ...bindings, ...fields }, message),
    error: (fields, message) => logger.error({ ...bindings, ...fields }, message),
    child: (more) => withBindings({ ...bindings, ...more }),
  });
  return withBindings({});
}
