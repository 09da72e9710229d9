import { describe, expect, it } from 'vitest';
import { changedFields, isSecretKey, redactMetadata } from './redact.js';

describe('metadata redaction', () => {
  it('names secrets whatever their spelling', () => {
    for (const key of ['token', 'accessToken', 'refresh_token', 'client_secret', 'Password', 'passwd', 'apiKey', 'api_key', 'X-Api-Key', 'Authorization', 'set-cookie', 'credentials', 'private_key', 'sessionId', 'webhookSignature']) {
      expect({ key, secret: isSecretKey(key) }).toEqual({ key, secret: true });
    }
    for (const key of ['name', 'stageId', 'expectedRevenue', 'before', 'after', 'email', 'keyId', 'label']) {
      expect({ key, secret: isSecretKey(key) }).toEqual({ key, secret: false });
    }
  });

  it('removes them at any depth, inside arrays too, and leaves the input untouched', () => {
    const input = { a: 1, token: 't', list: [{ secret: 's', ok: true }, 'plain', [{ password: 'p' }]], deep: { deeper: { apiKey: 'k', keep: null } } };
    const snapshot = structuredClone(input);
    expect(redactMetadata(input)).toEqual({ value: { a: 1, list: [{ ok: true }, 'plain', [{}]], deep: { deeper: { keep: null } } }, removed: 4 });
    expect(input).toEqual(snapshot);
  });

  it('changedFields keeps only what changed, with null for what was absent', () => {
    expect(changedFields({ name: 'A', probability: 10, tags: [1] }, { name: 'A', probability: 40, tags: [1, 2], stageId: 3 })).toEqual({
      before: { probability: 10, tags: [1], stageId: null },
      after: { probability: 40, tags: [1, 2], stageId: 3 },
    });
    expect(changedFields({ a: 1 }, { a: 1 })).toEqual({ before: {}, after: {} });
  });
});
