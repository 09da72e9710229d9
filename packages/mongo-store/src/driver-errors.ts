/**
 * Turning MongoDB driver failures into odoo-sync errors, and keeping connection-string
 * credentials out of every message.
 * @module
 */
import { StoreError, isOdooSyncError } from '@odoo-sync/core/errors';

/** MongoDB's duplicate key error code. */
export const DUPLICATE_KEY = 11000;

/** Server error codes that mean "try again later" (primary stepped down, shutting down, …). */
const TRANSIENT_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436, 262, 50, 112, 251]);

const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoWriteConcernError',
]);

interface DriverErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errorLabels?: unknown;
  writeErrors?: unknown;
  errorResponse?: unknown;
  keyPattern?: unknown;
}

function shape(err: unknown): DriverErrorShape {
  return err !== null && typeof err === 'object' ? (err) : {};
}

/** The write errors of a bulk write failure (`MongoBulkWriteError.writeErrors`), or `[]`. */
export function writeErrorsOf(err: unknown): Array<{ index: number; code: number }> {
  const list = shape(err).writeErrors;
  const items = Array.isArray(list) ? list : list !== undefined && list !== null ? [list] : [];
  return items.map((item: unknown) => {
    const entry = shape(item) as { index?: unknown; code?: unknown };
    return { index: typeof entry.index === 'number' ? entry.index : -1, code: typeof entry.code === 'number' ? entry.code : -1 };
  });
}

/**
 * True when the failure is a duplicate key error: the error itself, or a bulk write whose every
 * write error is one.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  const writeErrors = writeErrorsOf(err);
  if (writeErrors.length > 0) return writeErrors.every((w) => w.code === DUPLICATE_KEY);
  return shape(err).code === DUPLICATE_KEY;
}

/** True when the duplicate key error is on the `_id` index (not on a secondary unique index). */
export function isDuplicateIdError(err: unknown): boolean {
  const { keyPattern, message } = shape(err);
  if (keyPattern !== null && typeof keyPattern === 'object') return '_id' in keyPattern;
  return typeof message === 'string' && /index: _id_ /.test(message);
}

/** Which unique field of a user a duplicate key error is about: `identity` or `e-mail`. */
export function duplicateUserField(err: unknown): 'identity' | 'e-mail' {
  const { keyPattern, message } = shape(err);
  if (keyPattern !== null && typeof keyPattern === 'object') return 'identityKey' in keyPattern ? 'identity' : 'e-mail';
  return typeof message === 'string' && message.includes('identityKey') ? 'identity' : 'e-mail';
}

/** Whether retrying the operation later may succeed (network trouble, elections, shutdowns). */
export function isTransientDriverError(err: unknown): boolean {
  const { name, code, errorLabels } = shape(err);
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
  if (typeof code === 'number' && TRANSIENT_CODES.has(code)) return true;
  if (Array.isArray(errorLabels)) {
    return errorLabels.some((label) => label === 'RetryableWriteError' || label === 'TransientTransactionError' || label === 'ResetPool');
  }
  return false;
}

/**
 * The secret parts of a connection string: the user-info (`user:password`), the password alone
 * (raw and decoded) and the values of credential-bearing query options.
 */
export function connectionSecrets(url: string): string[] {
  const secrets = new Set<string>();
  const userInfo = /^[a-z0-9+.-]+:\/\/([^@/?#]*)@/i.exec(url)?.[1];
  if (userInfo) {
    secrets.add(userInfo);
    const password = userInfo.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : '';
    if (password) {
      secrets.add(password);
      try {
        secrets.add(decodeURIComponent(password));
      } catch {
        // A malformed escape: the raw form is already in the set.
      }
    }
  }
  for (const match of url.matchAll(/[?&](authMechanismProperties|tlsCertificateKeyFilePassword|password|proxyPassword)=([^&#]+)/gi)) {
    if (match[2]) secrets.add(match[2]);
  }
  return [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * A connection string safe to log: the user-info becomes `***`, credential-bearing query
 * options are masked.
 *
 * @example
 * ```ts
 * redactConnectionString('mongodb://app:s3cret@db1:27017/x?authSource=admin');
 * // 'mongodb://***@db1:27017/x?authSource=admin'
 * ```
 */
export function redactConnectionString(url: string): string {
  return url
    .replace(/^([a-z0-9+.-]+:\/\/)[^@/?#]*@/i, '$1***@')
    .replace(/([?&](?:authMechanismProperties|tlsCertificateKeyFilePassword|password|proxyPassword)=)[^&#]+/gi, '$1***');
}

/** The hosts of a connection string (`db1:27017,db2`), without credentials. */
export function hostsOf(url: string): string {
  // The driver requires ':', '/', '?', '#' and '@' in credentials to be percent-encoded, so
  // the authority ends at the first of '/', '?', '#' and the hosts follow its last '@'.
  const authority = url.replace(/^[a-z0-9+.-]+:\/\//i, '').split(/[/?#]/)[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/**
 * The error with every secret masked in its message and stack. Returns the same object when
 * there was nothing to mask, otherwise a plain copy (same name, code and labels).
 */
export function scrubError(err: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0 || !(err instanceof Error)) return err;
  const text = `${err.message}\n${err.stack ?? ''}`;
  if (!secrets.some((s) => text.includes(s))) return err;
  const copy = new Error(scrubText(err.message, secrets));
  copy.name = err.name;
  copy.stack = scrubText(err.stack ?? '', secrets);
  const { code, codeName, errorLabels } = err as Error & { code?: unknown; codeName?: unknown; errorLabels?: unknown };
  Object.assign(copy, { code, codeName, errorLabels });
  return copy;
}

/**
 * Wraps a failure of `operation` in {@link StoreError} (odoo-sync errors pass through
 * unchanged). The message names the operation and the driver's error name and code; secrets are
 * masked in the kept `cause`.
 */
export function toStoreError(err: unknown, operation: string, secrets: readonly string[] = []): Error {
  if (isOdooSyncError(err)) return err;
  const { name, code, message } = shape(err);
  const label = [typeof name === 'string' ? name : 'Error', typeof code === 'number' || typeof code === 'string' ? String(code) : null]
    .filter(Boolean)
    .join(' ');
  const detail = typeof message === 'string' ? scrubText(message, secrets) : String(err);
  return new StoreError(`MongoDB ${operation} failed (${label}): ${detail}`, {
    cause: scrubError(err, secrets),
    retryable: isTransientDriverError(err),
  });
}
