import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

// Names that an object literal treats specially: each must be refused like any other unknown
// parameter, never silently dropped (`__proto__` used to vanish into the prototype).
const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

describe('query parameters named like Object.prototype members', () => {
  it.each(NAMES)('GET /api/sync/logs?%s=1 is a 422 naming the parameter', async (name) => {
    const res = await call(`${s.url}/api/sync/logs?${name}=1`, { key: s.adminKey });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('input_invalid');
    expect(JSON.stringify(res.json.error)).toContain(name);
  });

  it.each(NAMES)('GET /api/sync/status?%s=1 (a route without query parameters) is a 422', async (name) => {
    const res = await call(`${s.url}/api/sync/status?${name}=1`, { key: s.adminKey });
    expect(res.status).toBe(422);
    expect(res.json.error.message).toContain(name);
  });

  it('a known parameter next to __proto__ does not make it pass', async () => {
    const res = await call(`${s.url}/api/contacts?limit=5&__proto__=x`, { key: s.adminKey });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.json.error)).toContain('__proto__');
  });

  it('a valid query still works', async () => {
    const res = await call(`${s.url}/api/sync/logs?limit=5`, { key: s.adminKey });
    expect(res.status).toBe(200);
  });
});
