import { randomBytes } from 'node:crypto';
import { ConfigError } from '@odoo-sync/core/errors';
import { describe, expect, it } from 'vitest';
import { generateTokenKey, keyringOf, parseKeyring } from './keyring.js';

const key = () => randomBytes(32).toString('base64');

function issuesOf(text: string | undefined): string[] {
  try {
    parseKeyring(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('config_invalid');
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('parseKeyring', () => {
  it('makes the first key current and keeps the others for reading', () => {
    const k2 = key();
    const k1 = key();
    const ring = parseKeyring(` k2:${k2} , k1:${k1} `);
    expect(ring.currentKeyId).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
    expect(ring.keys.get('k1')?.equals(Buffer.from(k1, 'base64'))).toBe(true);
  });

  it('accepts URL-safe base64 and generated keys', () => {
    const raw = randomBytes(32);
    expect(parseKeyring(`a:${raw.toString('base64url')}`).keys.get('a')?.equals(raw)).toBe(true);
    expect(parseKeyring(`b:${generateTokenKey()}`).keys.get('b')).toHaveLength(32);
    expect(keyringOf([['c', raw]]).currentKeyId).toBe('c');
  });

  it('names every problem without echoing key material', () => {
    const short = randomBytes(16).toString('base64');
    const issues = issuesOf(`k1:${short},nocolon,bad id:${key()},k1:${key()},k3:!!!`);
    expect(issues).toEqual([
      'TOKEN_KEYS[0]: key k1 must be 32 bytes, got 16',
      'TOKEN_KEYS[1]: must be id:base64key',
      'TOKEN_KEYS[2]: key id must be 1–32 characters of A–Z, a–z, 0–9, _ or -',
      'TOKEN_KEYS[4]: key k3 is not base64',
    ]);
    expect(() => parseKeyring(`k1:${short}`)).toThrow(
      expect.objectContaining({ code: 'config_invalid', message: expect.not.stringContaining(short) }),
    );
  });

  it('rejects a duplicate id', () => {
    const k = key();
    expect(issuesOf(`k1:${k},k1:${key()}`)).toEqual(['TOKEN_KEYS[1]: key id k1 appears twice']);
  });

  it('requires the variable', () => {
    expect(issuesOf(undefined)).toEqual(['TOKEN_KEYS: is required']);
    expect(issuesOf('  ')).toEqual(['TOKEN_KEYS: is required']);
  });
});
