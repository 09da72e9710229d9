/**
 * Keeps secrets out of activity metadata, and describes an update as the fields it changed:
 * pure functions, no I/O.
 * @module
 */
import type { JsonValue } from '../ports.js';

/**
 * Fragments of key names whose values are never kept in metadata. Keys are compared
 * lower-cased with everything but letters and digits removed, so `api_key`, `apiKey` and
 * `X-Api-Key` all match `apikey`.
 */
export const SECRET_KEY_FRAGMENTS: readonly string[] = [
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'apikey',
  'authorization',
  'cookie',
  'credential',
  'privatekey',
  'sessionid',
  'signature',
];

/** Whether a metadata key names a secret (see {@link SECRET_KEY_FRAGMENTS}). */
export function isSecretKey(key: string): boolean {
  const folded = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEY_FRAGMENTS.some((fragment) => folded.includes(fragment));
}

/** The result of {@link redactMetadata}. */
export interface Redacted {
  /** A copy without any secret key, at any depth. */
  value: { [key: string]: JsonValue };
  /** How many keys were removed. */
  removed: number;
}

/**
 * A deep copy of `metadata` with every key that names a secret removed, at any depth (inside
 * arrays too), with the count of removed keys.
 *
 * @example
 * ```ts
 * redactMetadata({ before: { name: 'A', apiKey: 'k' }, accessToken: 't' });
 * // → { value: { before: { name: 'A' } }, removed: 2 }
 * ```
 */
export function redactMetadata(metadata: { [key: string]: JsonValue }): Redacted {
  let removed = 0;
  const walk = (value: JsonValue): JsonValue => {
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: JsonValue } = {};
      for (const [key, inner] of Object.entries(value)) {
        if (isSecretKey(key)) removed++;
        else out[key] = walk(inner);
      }
      return out;
    }
    return value;
  };
  const value = walk(metadata) as { [key: string]: JsonValue };
  return { value, removed };
}

/** The fields an update changed, each with its value before and after. */
export interface FieldChanges {
  /** Values before, of the changed fields only. */
  before: { [key: string]: JsonValue };
  /** Values after, of the changed fields only. */
  after: { [key: string]: JsonValue };
}

/**
 * The fields of `after` whose value differs from `before` (compared as JSON), with both
 * values: what an update activity's metadata holds. A field absent before is `null` there.
 *
 * @example
 * ```ts
 * changedFields({ name: 'A', probability: 10 }, { name: 'A', probability: 40 });
 * // → { before: { probability: 10 }, after: { probability: 40 } }
 * ```
 */
export function changedFields(before: { [key: string]: JsonValue }, after: { [key: string]: JsonValue }): FieldChanges {
  const changes: FieldChanges = { before: {}, after: {} };
  for (const [key, value] of Object.entries(after)) {
    const old = Object.hasOwn(before, key) ? (before[key] ?? null) : null;
    if (JSON.stringify(old) !== JSON.stringify(value)) {
      changes.before[key] = old;
      changes.after[key] = value;
    }
  }
  return changes;
}
