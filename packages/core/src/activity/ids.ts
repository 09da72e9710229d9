/**
 * Time-ordered activity ids (ULID layout): 10 characters of milliseconds, 16 of randomness,
 * Crockford base 32, so that ids sort as their times do.
 * @module
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAX_TIME = 2 ** 48 - 1;

/** Fills a buffer with random bytes (injected where tests need determinism). */
export type RandomBytes = (size: number) => Uint8Array;

/** The default source of randomness: Web Crypto. */
export const cryptoRandomBytes: RandomBytes = (size) => globalThis.crypto.getRandomValues(new Uint8Array(size));

/**
 * Makes a function that returns a new id for an instant (epoch ms). Ids from one function are
 * strictly increasing even within a millisecond or when the clock steps back (the random part
 * is incremented instead), so the store's (timestamp, id) order matches creation order.
 *
 * @example
 * ```ts
 * const nextId = activityIdFactory();
 * nextId(Date.now()); // '01JF3Q7Z8M4X2K9T0ABCDEFGHJ'
 * ```
 */
export function activityIdFactory(randomBytes: RandomBytes = cryptoRandomBytes): (ms: number) => string {
  let lastMs = -1;
  let lastRandom: Uint8Array = new Uint8Array(10);
  return (ms: number) => {
    let time = Math.min(Math.max(0, Math.trunc(ms)), MAX_TIME);
    if (time <= lastMs) {
      const next = increment(lastRandom);
      // The random part overflowed (one in 2^80): move on to the next millisecond instead.
      if (next === null) lastMs += 1;
      time = Math.min(lastMs, MAX_TIME);
      lastRandom = next ?? new Uint8Array(10);
    } else {
      lastMs = time;
      lastRandom = Uint8Array.from(randomBytes(10).subarray(0, 10));
    }
    return encodeTime(time) + encodeRandom(lastRandom);
  };
}

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = ALPHABET.charAt(Number(bits & 31n)) + out;
    bits >>= 5n;
  }
  return out;
}

function increment(bytes: Uint8Array): Uint8Array | null {
  const next = Uint8Array.from(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    const value = next[i] ?? 0;
    if (value < 255) {
      next[i] = value + 1;
      return next;
    }
    next[i] = 0;
  }
  return null;
}
