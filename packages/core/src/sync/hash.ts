/**
 * Stable hashing of normalised records: the same data gives the same hash whatever the
 * order of its keys, so "changed" can mean "hash differs".
 * @module
 */
import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string, encoding: 'base64url') => string;
/** Node's one-shot `crypto.hash` (20.12+): the same digest, without a Hash object per call. */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/** SHA-256 of `text` in base64url. */
function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'base64url') : crypto.createHash('sha256').update(text).digest('base64url');
}

/**
 * SHA-256 (base64url) of a string that already is canonical JSON (`canonicalJson`'s output):
 * `hashCanonicalJson(canonicalJson(data)) === stableHash(data)`.
 */
export function hashCanonicalJson(json: string): string {
  return sha256(json);
}

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
  return sha256(canonicalJson(data));
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
  // Array-index keys would be reordered by JSON.stringify: such records go the general way.
  const plain = !sorted.some(isIndexKey);
  return (record) => {
    if (!plain) return stableHash(record);
    for (const key in record) {
      if (Object.hasOwn(record, key) && !known.has(key)) return stableHash(record);
    }
    // Every own key is known: copy the members in sorted key order and let JSON.stringify write
    // them. Members that are themselves objects are copied sorted unless they already are.
    const copy: Record<string, unknown> = {};
    for (const key of sorted) {
      const member = (record as Record<string, unknown>)[key];
      if (member !== undefined) copy[key] = isCanonical(member) ? member : sortKeys(member);
    }
    return sha256(JSON.stringify(copy));
  };
}

/** True when JSON.stringify writes `value` exactly as canonical JSON would (no copy needed). */
function isCanonical(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (item === undefined || (item !== null && typeof item === 'object')) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  // A Date or a class instance (a toJSON of its own) is copied the canonical way.
  if (proto !== Object.prototype && proto !== null) return false;
  let previous = '';
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (key <= previous || isIndexKey(key) || member === undefined || (member !== null && typeof member === 'object')) return false;
    previous = key;
  }
  return true;
}
