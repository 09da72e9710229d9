import { describe, expect, it } from 'vitest';
import { openBlob, sealBlob } from './envelope.js';
import { generateTokenKey, parseKeyring } from './keyring.js';

const k1 = generateTokenKey();
const k2 = generateTokenKey();

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'no error';
}

describe('AES-256-GCM envelope', () => {
  it('round-trips and never shows the plaintext', () => {
    const ring = parseKeyring(`k1:${k1}`);
    const blob = sealBlob(ring, 'ms365:user:a', 'refresh-token-secret');
    expect(blob).not.toContain('refresh-token-secret');
    const envelope = JSON.parse(blob) as Record<string, unknown>;
    expect(Object.keys(envelope).sort()).toEqual(['ct', 'iv', 'kid', 'tag', 'v']);
    expect(Buffer.from(envelope['iv'] as string, 'base64url')).toHaveLength(12);
    expect(Buffer.from(envelope['tag'] as string, 'base64url')).toHaveLength(16);
    expect(openBlob(ring, 'ms365:user:a', blob)).toEqual({ plaintext: 'refresh-token-secret', kid: 'k1', stale: false });
  });

  it('uses a fresh IV for every seal', () => {
    const ring = parseKeyring(`k1:${k1}`);
    expect(sealBlob(ring, 'p', 'same')).not.toBe(sealBlob(ring, 'p', 'same'));
  });

  it('binds the blob to its partition key (a blob moved to another user does not open)', () => {
    const ring = parseKeyring(`k1:${k1}`);
    const blob = sealBlob(ring, 'ms365:user:a', 'x');
    expect(codeOf(() => openBlob(ring, 'ms365:user:b', blob))).toBe('token_unreadable');
  });

  it('opens blobs of an older key after rotation and flags them stale', () => {
    const before = parseKeyring(`k1:${k1}`);
    const after = parseKeyring(`k2:${k2},k1:${k1}`);
    const old = sealBlob(before, 'p', 'x');
    expect(openBlob(after, 'p', old)).toEqual({ plaintext: 'x', kid: 'k1', stale: true });
    expect(JSON.parse(sealBlob(after, 'p', 'x')).kid).toBe('k2');
  });

  it('reports tampering, a relabelled key id, an unknown key and garbage as token_unreadable', () => {
    const ring = parseKeyring(`k2:${k2},k1:${k1}`);
    const blob = JSON.parse(sealBlob(ring, 'p', 'secret text')) as Record<string, string>;
    const ct = Buffer.from(blob['ct'] as string, 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    expect(codeOf(() => openBlob(ring, 'p', JSON.stringify({ ...blob, ct: ct.toString('base64url') })))).toBe('token_unreadable');
    expect(codeOf(() => openBlob(ring, 'p', JSON.stringify({ ...blob, kid: 'k1' })))).toBe('token_unreadable');
    expect(codeOf(() => openBlob(parseKeyring(`k1:${k1}`), 'p', JSON.stringify(blob)))).toBe('token_unreadable');
    expect(codeOf(() => openBlob(ring, 'p', 'not json'))).toBe('token_unreadable');
    expect(codeOf(() => openBlob(ring, 'p', '{"v":2}'))).toBe('token_unreadable');
  });
});
