/**
 * Stable hashing of normalised records: the same data gives the same hash whatever the
 * order of its keys, so "changed" can mean "hash differs".
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted (recursively), `undefined` members omitted, arrays kept in
 * order, `Date` as ISO-8601. Two values that mean the same record serialise identically.
 *
 * Written straight into a string (no sorted copy of the value is built): the output is the
 * same, character for character, as `JSON.stringify` of a copy with sorted keys, so hashes
 * stored by earlier versions still match.
 */
export function canonicalJson(value: unknown): string {
  return write(value) as string;
}

/** True for a key JSON.stringify would emit first, in numeric order (an array index). */
function isIndexKey(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57;
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      // bigint: JSON.stringify throws, as before.
      return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i]) ?? 'null';
    }
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  return writeObject(value as Record<string, unknown>, keys);
}

/** `{…}` with `keys` in this order (already sorted), skipping members JSON leaves out. */
function writeObject(value: Record<string, unknown>, keys: readonly string[]): string {
  let out = '{';
  let first = true;
  for (const key of keys) {
    // JSON.stringify emits array-index keys first whatever the insertion order: leave those
    // rare objects to it, so the output stays exactly what it was.
    if (isIndexKey(key)) return JSON.stringify(sortKeys(value));
    const member = write(value[key]);
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${member}`;
    first = false;
  }
  return `${out}}`;
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortKeys(member);
  }
  return out;
}

/**
 * SHA-256 (base64url) of the canonical JSON of `data`.
 *
 * @example
 * ```ts
 * stableHash({ a: 1, b: 2 }) === stableHash({ b: 2, a: 1 }); // true
 * ```
 */
export function stableHash(data: unknown): string {
  return createHash('sha256').update(canonicalJson(data)).digest('base64url');
}

/**
 * A hash function for records whose keys are known in advance (an entity's fields): the keys
 * are sorted once, not for every record. Gives exactly {@link stableHash}'s result; a record
 * with other keys than `keys` is hashed the general way.
 *
 * @example
 * ```ts
 * const hash = recordHasher(['odooId', 'name', 'email']);
 * hash({ odooId: 1, name: 'A', email: null }) === stableHash({ odooId: 1, name: 'A', email: null }); // true
 * ```
 */
export function recordHasher(keys: readonly string[]): (record: object) => string {
  const sorted = [...new Set(keys)].sort();
  const known = new Set(sorted);
  return (record) => {
    for (const key in record) {
      if (Object.hasOwn(record, key) && !known.has(key)) return stableHash(record);
    }
    // Every own key is known; a known key the record lacks is left out, like an undefined member.
    return createHash('sha256').update(writeObject(record as Record<string, unknown>, sorted)).digest('base64url');
  };
}
