import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../src/runtime/logger.js';
import { call, startTestServer, syncNow, WEBHOOK_SECRET, type TestServer } from './helpers.js';

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

it('logs one JSON line per request with the request id and route pattern, never a key or the webhook secret', async () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  s = await startTestServer({ logger });
  await syncNow(s);
  await call(`${s.url}/api/sync/status`, { key: s.adminKey, headers: { 'X-Request-Id': 'req-123' } });
  await call(`${s.url}/api/sync/status`, { key: 'osk_wrong-key-value' });
  await call(`${s.url}/api/sync/webhook/${WEBHOOK_SECRET}`, { method: 'POST', body: { _model: 'res.partner', _id: 20 } });
  await call(`${s.url}/api/sync/webhook/wrong-secret-guess-123`, { method: 'POST', body: { _model: 'res.partner', _id: 20 } });
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const status = parsed.find((l) => l['msg'] === 'request' && l['requestId'] === 'req-123');
  expect(status).toMatchObject({ method: 'GET', route: '/api/sync/status', status: 200, level: 'info' });
  expect(parsed.filter((l) => l['route'] === '/api/sync/webhook/:secret').map((l) => l['status'])).toEqual(
    expect.arrayContaining([202, 404]),
  );
  const all = lines.join('\n');
  for (const secret of [s.adminKey, s.userKey, 'osk_wrong-key-value', WEBHOOK_SECRET, 'wrong-secret-guess-123']) {
    expect(all).not.toContain(secret);
  }
});

it('redacts fields named like secrets', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  createLogger({ destination }).info({ password: 'p4ss', nested: { apiKey: 'k3y' }, authorization: 'Bearer x' }, 'oops');
  expect(lines.join('')).not.toMatch(/p4ss|k3y|Bearer x/);
  expect(lines.join('')).toContain('[redacted]');
});
