/**
 * The keyring that encrypts token caches at rest: key id → 32-byte AES-256 key, the first one
 * current. Configured as `TOKEN_KEYS=k2:<base64>,k1:<base64>`.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, type InputIssue } from '@odoo-sync/core/errors';

/** Keys by id; `currentKeyId` seals every new blob, the others only open old ones. */
export interface Keyring {
  /** Id of the key that seals new blobs (the first key in `TOKEN_KEYS`). */
  readonly currentKeyId: string;
  /** Every key by id, the current one included. Each is 32 bytes. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** A key id: 1–32 characters of `A–Z a–z 0–9 _ -`. */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** Standard or URL-safe base64, optional padding. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses a keyring from configuration: comma-separated `id:base64key` pairs, the first one
 * current (used for every new write), the others kept to read blobs sealed before a rotation.
 * Each key must decode to exactly 32 bytes. Throws {@link ConfigError} naming every problem
 * (never the key material).
 *
 * @param text - e.g. the `TOKEN_KEYS` environment variable.
 * @param variable - Name used in error messages.
 * @example
 * ```ts
 * const keyring = parseKeyring(process.env.TOKEN_KEYS); // "k2:q8R…=,k1:Zx0…="
 * keyring.currentKeyId; // "k2"
 * ```
 */
export function parseKeyring(text: string | undefined, variable = 'TOKEN_KEYS'): Keyring {
  const issues: InputIssue[] = [];
  const keys = new Map<string, Buffer>();
  let currentKeyId: string | undefined;
  const trimmed = (text ?? '').trim();
  if (trimmed === '') {
    throw new ConfigError(`${variable} is not set.`, [{ path: variable, message: 'is required' }], {
      hint: `Set ${variable}=k1:<32 random bytes in base64>; generate one with generateTokenKey() or \`openssl rand -base64 32\`.`,
    });
  }
  trimmed.split(',').forEach((rawPart, index) => {
    const path = `${variable}[${index}]`;
    const part = rawPart.trim();
    const colon = part.indexOf(':');
    if (colon < 0) {
      issues.push({ path, message: 'must be id:base64key' });
      return;
    }
    const id = part.slice(0, colon).trim();
    const material = part.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) {
      issues.push({ path, message: 'key id must be 1–32 characters of A–Z, a–z, 0–9, _ or -' });
      return;
    }
    if (keys.has(id)) {
      issues.push({ path, message: `key id ${id} appears twice` });
      return;
    }
    if (!BASE64.test(material)) {
      issues.push({ path, message: `key ${id} is not base64` });
      return;
    }
    const key = Buffer.from(material.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length !== 32) {
      issues.push({ path, message: `key ${id} must be 32 bytes, got ${key.length}` });
      return;
    }
    keys.set(id, key);
    currentKeyId ??= id;
  });
  if (issues.length > 0 || currentKeyId === undefined) {
    throw new ConfigError(`${variable} is invalid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, issues, {
      hint: `Write ${variable} as comma-separated id:base64key pairs, the current key first, each key 32 random bytes.`,
    });
  }
  return { currentKeyId, keys };
}

/**
 * Builds a keyring from keys already in memory (the first current). Same checks as
 * {@link parseKeyring}.
 */
export function keyringOf(entries: readonly (readonly [id: string, key: Uint8Array])[]): Keyring {
  return parseKeyring(entries.map(([id, key]) => `${id}:${Buffer.from(key).toString('base64')}`).join(','), 'keyring');
}

/**
 * A fresh random 32-byte key in base64, for a `TOKEN_KEYS` entry.
 * @example
 * ```sh
 * node -e "import('@odoo-sync/ms365-auth').then(m => console.log('k1:' + m.generateTokenKey()))"
 * ```
 */
export function generateTokenKey(): string {
  return randomBytes(32).toString('base64');
}
