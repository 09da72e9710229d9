/**
 * AES-256-GCM envelopes: the at-rest form of every token cache and pending login.
 *
 * A blob is the JSON text of `{ v: 1, kid, iv, tag, ct }` (iv 12 bytes, tag 16 bytes, all
 * base64url). The associated data is `v|kid|partitionKey`, so a blob copied to another user's
 * entry, or relabelled with another key id, fails to open.
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TokenUnreadableError } from '@odoo-sync/core/errors';
import { z } from 'zod';
import type { Keyring } from './keyring.js';

/** The envelope format version. */
export const ENVELOPE_VERSION = 1;

/** The parsed form of a sealed blob. */
export interface Envelope {
  /** Format version (1). */
  v: typeof ENVELOPE_VERSION;
  /** Id of the key that sealed it. */
  kid: string;
  /** 12-byte nonce, base64url. */
  iv: string;
  /** 16-byte GCM tag, base64url. */
  tag: string;
  /** Ciphertext, base64url. */
  ct: string;
}

const envelopeSchema = z.object({
  v: z.literal(ENVELOPE_VERSION),
  kid: z.string().min(1).max(32),
  iv: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
  tag: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  ct: z.string().regex(/^[A-Za-z0-9_-]*$/),
});

function associatedData(kid: string, partitionKey: string): Buffer {
  return Buffer.from(`${ENVELOPE_VERSION}|${kid}|${partitionKey}`, 'utf8');
}

/**
 * Encrypts `plaintext` with the keyring's current key, bound to `partitionKey`.
 * @returns the blob text to store.
 */
export function sealBlob(keyring: Keyring, partitionKey: string, plaintext: string): string {
  const kid = keyring.currentKeyId;
  const key = keyring.keys.get(kid);
  if (!key) throw new TypeError('The keyring has no current key.');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(kid, partitionKey));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const envelope: Envelope = {
    v: ENVELOPE_VERSION,
    kid,
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    ct: ct.toString('base64url'),
  };
  return JSON.stringify(envelope);
}

/** What {@link openBlob} returns. */
export interface Opened {
  /** The decrypted text. */
  plaintext: string;
  /** Id of the key that sealed it. */
  kid: string;
  /** True when it was sealed with a key other than the current one (re-seal on next write). */
  stale: boolean;
}

/**
 * Decrypts a blob sealed for `partitionKey`. Throws {@link TokenUnreadableError} when it is
 * malformed, sealed with a key the keyring lacks, tampered with, or bound to another partition.
 */
export function openBlob(keyring: Keyring, partitionKey: string, blob: string): Opened {
  let envelope: Envelope;
  try {
    envelope = envelopeSchema.parse(JSON.parse(blob));
  } catch (cause) {
    throw new TokenUnreadableError('The stored token blob is not a valid encrypted envelope.', { cause });
  }
  const key = keyring.keys.get(envelope.kid);
  if (!key) {
    throw new TokenUnreadableError(`The stored token blob was sealed with key "${envelope.kid}", which is not in the keyring.`, {
      hint: 'Put the old key back in TOKEN_KEYS (after the current one) until every blob has been re-sealed.',
    });
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64url'));
    decipher.setAAD(associatedData(envelope.kid, partitionKey));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64url'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64url')), decipher.final()]).toString('utf8');
    return { plaintext, kid: envelope.kid, stale: envelope.kid !== keyring.currentKeyId };
  } catch (cause) {
    throw new TokenUnreadableError(
      `The stored token blob could not be decrypted with key "${envelope.kid}" (wrong key, tampered, or moved from another entry).`,
      { cause },
    );
  }
}
