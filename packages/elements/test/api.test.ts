/**
 * The API client over real HTTP: against the real server for its own error answers, and a
 * small server for answers the server gives only in situations costly to set up here
 * (`reauth_required`, a proxy's HTML page).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OdooSyncApi, OdooSyncApiError, REAUTH_EVENT, withQuery, type ReauthDetail } from '../src/api.js';
import { startStack, type Stack } from './support/stack.js';

describe('against the odoo-sync server', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => stack?.close());

  function api(key: string | null): OdooSyncApi {
    return new OdooSyncApi({
      baseUrl: `${stack.url}/`,
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(key ? { Authorization: `Bearer ${key}` } : {}) } }),
    });
  }

  it('reads JSON answers', async () => {
    const status = await api(stack.userKey).get<{ intervalMinutes: number }>('/api/sync/status');
    expect(status.intervalMinutes).toBe(15);
  });

  it('turns error answers into typed errors with code, status and message', async () => {
    const unauthenticated = await api(null).get('/api/sync/status').catch((e: unknown) => e);
    expect(unauthenticated).toBeInstanceOf(OdooSyncApiError);
    expect(unauthenticated).toMatchObject({ code: 'unauthenticated', status: 401 });
    const forbidden = await api(stack.userKey).post('/api/sync/run').catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ code: 'forbidden', status: 403 });
    const invalid = await api(stack.adminKey).post('/api/sync/run', { entity: 'no_such_thing' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'input_invalid', status: 422 });
    expect((invalid as OdooSyncApiError).details['issues']).toBeInstanceOf(Array);
  });
});

describe('against a small server', () => {
  let server: Server;
  let base: string;
  let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
  let answer: { status: number; type: string; body: string };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(answer.status, answer.body === '' ? {} : { 'Content-Type': answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    seen = [];
  });
  seen = [];
  answer = { status: 200, type: 'application/json', body: '{}' };

  it('sends the page CSRF token on writes only, JSON bodies, and query values', async () => {
    answer = { status: 200, type: 'application/json', body: '{"ok":true}' };
    const api = new OdooSyncApi({ baseUrl: base, csrfToken: () => 'tok-123' });
    expect(await api.post('/api/x', { a: 1 })).toEqual({ ok: true });
    await api.get('/api/y', { type: ['call', 'meeting'], empty: '', none: undefined, n: 5 });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/x', body: '{"a":1}' });
    expect(seen[0]!.headers['x-csrf-token']).toBe('tok-123');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[1]).toMatchObject({ method: 'GET', url: '/api/y?type=call&type=meeting&n=5' });
    expect(seen[1]!.headers['x-csrf-token']).toBeUndefined();
    expect(seen[1]!.headers['accept']).toBe('application/json');
  });

  it('fires a bubbling, composed odoo-sync-reauth event on reauth_required, with where to sign in', async () => {
    answer = {
      status: 401,
      type: 'application/json',
      body: JSON.stringify({ error: { code: 'reauth_required', message: 'Sign in to Microsoft 365 again.', loginUrl: '/api/auth/login?returnTo=%2F', details: { loginUrl: '/api/auth/login?returnTo=%2F' } } }),
    };
    const target = new EventTarget();
    const events: CustomEvent<ReauthDetail>[] = [];
    target.addEventListener(REAUTH_EVENT, (e) => events.push(e as CustomEvent<ReauthDetail>));
    const error = await new OdooSyncApi({ baseUrl: base, events: target }).get('/api/auth/me').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'reauth_required', status: 401, loginUrl: '/api/auth/login?returnTo=%2F' });
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toEqual({ loginUrl: '/api/auth/login?returnTo=%2F', message: 'Sign in to Microsoft 365 again.' });
    expect(events[0]!.bubbles).toBe(true);
    expect(events[0]!.composed).toBe(true);
  });

  it('keeps the hint of an error answer, and names answers that are not the API', async () => {
    answer = { status: 409, type: 'application/json', body: JSON.stringify({ error: { code: 'sync_in_progress', message: 'A run is in progress.', details: { hint: 'Wait for it to finish.' } } }) };
    const api = new OdooSyncApi({ baseUrl: base });
    expect(await api.post('/api/sync/run').catch((e: unknown) => e)).toMatchObject({ code: 'sync_in_progress', status: 409, hint: 'Wait for it to finish.' });
    answer = { status: 502, type: 'text/html', body: '<html>Bad Gateway</html>' };
    expect(await api.get('/api/sync/status').catch((e: unknown) => e)).toMatchObject({ code: 'bad_response', status: 502 });
    answer = { status: 200, type: 'text/html', body: '<html>login portal</html>' };
    expect(await api.get('/api/sync/status').catch((e: unknown) => e)).toMatchObject({ code: 'bad_response', status: 200 });
    answer = { status: 204, type: '', body: '' };
    expect(await api.delete('/api/x')).toBeUndefined();
  });

  it('says network_error when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await new OdooSyncApi({ baseUrl: `http://127.0.0.1:${port}` }).get('/api/sync/status').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network_error', status: 0 });
  });
});

it('withQuery appends to an existing query and drops empty values', () => {
  expect(withQuery('/a?x=1', { y: '2', z: '' })).toBe('/a?x=1&y=2');
  expect(withQuery('/a', {})).toBe('/a');
});
