/**
 * Stable hashing of normalised records: the same data gives the same hash whatever the
 * order of its keys, so "changed" can mean "hash differs".
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted (recursively), `undefined` members omitted, arrays kept in
 * order, `Date` as ISO-8601. Two values that mean the same record serialise identically.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
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
