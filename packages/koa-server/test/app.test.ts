import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, syncNow, waitFor, WEBHOOK_SECRET, type TestServer } from './helpers.js';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => {
  await s.close();
});

function expectErrorShape(res: { json: any }, code?: string) {
  expect(res.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  expect(Object.keys(res.json)).toEqual(['error']);
  if (code) expect(res.json.error.code).toBe(code);
}

describe('health', () => {
  it('answers /healthz and /readyz without credentials', async () => {
    expect((await call(`${s.url}/healthz`)).json).toEqual({ status: 'ok' });
    const ready = await call(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready', store: { ok: true }, odoo: { lastContactAt: null } });
    await syncNow(s);
    expect((await call(`${s.url}/readyz`)).json.odoo.lastContactAt).toEqual(expect.any(String));
  });

  it('answers 503 on /readyz when the store is gone', async () => {
    await s.store.close();
    const ready = await call(`${s.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'unavailable', store: { ok: false, error: 'store_error' } });
  });

  it('exposes Prometheus metrics of runs and requests', async () => {
    await syncNow(s);
    await call(`${s.url}/api/sync/status`, { key: s.userKey });
    const metrics = await call(`${s.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toContain('odoo_sync_runs_total{status="success"} 1');
    expect(metrics.text).toMatch(/odoo_sync_records_total\{entity="contact",outcome="inserted"\} 2/);
    expect(metrics.text).toContain('odoo_sync_consecutive_failures 0');
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/api\/sync\/status",status="200"\} 1/);
  });
});

it('counts scheduled runs that did not happen, by reason, on /metrics', async () => {
  const server = await startTestServer({ scheduler: { runOnStart: true } });
  try {
    await syncNow(server);
    const skipped = new Promise((resolve) => server.scheduler.once('tick:skipped', resolve));
    await server.scheduler.start(); // its startup run comes right after the manual one: skipped
    expect(await skipped).toEqual({ reason: 'recent_run' });
    const metrics = await call(`${server.url}/metrics`);
    expect(metrics.text).toContain('odoo_sync_scheduled_runs_skipped_total{reason="recent_run"} 1');
  } finally {
    await server.close();
  }
});

describe('authentication', () => {
  it('401 without or with a bad key, 403 for a pending user or a user on an admin route', async () => {
    const none = await call(`${s.url}/api/sync/status`);
    expect(none.status).toBe(401);
    expectErrorShape(none, 'unauthenticated');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const bad = await call(`${s.url}/api/sync/status`, { key: 'osk_not-a-key' });
    expect(bad.status).toBe(401);
    const malformed = await call(`${s.url}/api/sync/status`, { headers: { Authorization: 'Bearer' } });
    expect(malformed.status).toBe(401);
    const pending = await call(`${s.url}/api/sync/status`, { key: s.pendingKey });
    expect(pending.status).toBe(403);
    expectErrorShape(pending, 'forbidden');
    const userOnAdmin = await call(`${s.url}/api/sync/settings`, { key: s.userKey });
    expect(userOnAdmin.status).toBe(403);
    expect((await call(`${s.url}/api/sync/status`, { key: s.userKey })).status).toBe(200);
    expect((await call(`${s.url}/api/sync/settings`, { key: s.adminKey })).status).toBe(200);
  });

  it('refuses a revoked key and a rejected user', async () => {
    const user = await s.store.getUserByEmail('user@example.com');
    const [key] = await s.store.listApiKeys(user!.id);
    await s.store.revokeApiKey(key!.id, new Date());
    expect((await call(`${s.url}/api/accounts`, { key: s.userKey })).status).toBe(401);
    const admin = await s.store.getUserByEmail('admin@example.com');
    await s.store.updateUser(admin!.id, { status: 'rejected' }, new Date());
    expect((await call(`${s.url}/api/accounts`, { key: s.adminKey })).status).toBe(403);
  });

  it('applies each route\'s rule', async () => {
    const rules: Array<[string, string, 'public' | 'user' | 'admin']> = [
      ['GET', '/healthz', 'public'],
      ['GET', '/readyz', 'public'],
      ['GET', '/metrics', 'public'],
      ['GET', '/api/openapi.json', 'public'],
      ['GET', '/ui/pages.css', 'public'],
      ['GET', '/api/sync/status', 'user'],
      ['GET', '/api/accounts', 'user'],
      ['GET', '/api/contacts', 'user'],
      ['GET', '/api/opportunities', 'user'],
      ['GET', '/api/invoices', 'user'],
      ['GET', '/api/employees', 'user'],
      ['GET', '/api/accounts/10', 'user'],
      ['GET', '/api/sync/logs', 'admin'],
      ['GET', '/api/sync/settings', 'admin'],
      ['PUT', '/api/sync/settings', 'admin'],
      ['POST', '/api/sync/run', 'admin'],
    ];
    await syncNow(s);
    for (const [method, path, rule] of rules) {
      const body = method === 'PUT' ? { intervalMinutes: 20 } : undefined;
      const anonymous = await call(`${s.url}${path}`, { method, ...(body ? { body } : {}) });
      const asUser = await call(`${s.url}${path}`, { method, key: s.userKey, ...(body ? { body } : {}) });
      const asAdmin = await call(`${s.url}${path}`, { method, key: s.adminKey, ...(body ? { body } : {}) });
      const ok = (status: number) => status >= 200 && status < 300;
      expect([path, ok(anonymous.status)]).toEqual([path, rule === 'public']);
      expect([path, ok(asUser.status)]).toEqual([path, rule !== 'admin']);
      expect([path, ok(asAdmin.status)]).toEqual([path, true]);
      if (rule !== 'public') expect([path, anonymous.status]).toEqual([path, 401]);
      if (rule === 'admin') expect([path, asUser.status]).toEqual([path, 403]);
      if (s.scheduler.running) await waitFor(() => !s.scheduler.running, 10_000, 'run to end');
    }
  });
});

describe('sign-out without Microsoft 365', () => {
  it('POST /api/auth/logout answers 204 on a server without sign-in configured, with or without a cookie', async () => {
    for (const headers of [{}, { Cookie: 'odoo_sync_session=abc; odoo_sync_session.sig=def' }]) {
      const res = await call(`${s.url}/api/auth/logout`, { method: 'POST', headers });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    }
    // With an API key too: still 204, and the key keeps working.
    expect((await call(`${s.url}/api/auth/logout`, { method: 'POST', key: s.userKey })).status).toBe(204);
    expect((await call(`${s.url}/api/auth/me`, { key: s.userKey })).status).toBe(200);
  });
});

describe('sync routes', () => {
  it('status says what happened per entity', async () => {
    const before = await call(`${s.url}/api/sync/status`, { key: s.userKey });
    expect(before.json).toMatchObject({ lastSuccessAt: null, secondsSinceLastSuccess: null, intervalMinutes: 15, employeesSynced: 0 });
    await syncNow(s);
    const after = await call(`${s.url}/api/sync/status`, { key: s.userKey });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ healthy: true, consecutiveFailures: 0, employeesSynced: 2, running: false });
    expect(after.json.secondsSinceLastSuccess).toBeGreaterThanOrEqual(0);
    const contact = after.json.entities.find((e: any) => e.entity === 'contact');
    expect(contact).toMatchObject({ active: 2, inactive: 0, lastRunStatus: 'success', lastError: null });
  });

  it('POST /api/sync/run answers 202 with the run id, 409 while running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = s.source.readChanged.bind(s.source);
    s.source.readChanged = async function* (query, options) {
      await gate;
      yield* original(query, options);
    };
    const first = await call(`${s.url}/api/sync/run`, { method: 'POST', key: s.adminKey, body: { entity: 'contact', mode: 'full' } });
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ runId: expect.any(String), entities: ['contact'], mode: 'full', force: false });
    const second = await call(`${s.url}/api/sync/run`, { method: 'POST', key: s.adminKey });
    expect(second.status).toBe(409);
    expectErrorShape(second, 'sync_in_progress');
    release();
    const logs = await waitFor(async () => {
      const r = await call(`${s.url}/api/sync/logs?runId=${first.json.runId}`, { key: s.adminKey });
      return r.json.items.length === 1 ? r.json : undefined;
    });
    expect(logs.items[0]).toMatchObject({ entity: 'contact', status: 'success', counts: { inserted: 2 } });
  });

  it('GET /api/sync/logs filters and pages', async () => {
    await syncNow(s);
    await syncNow(s);
    const page1 = await call(`${s.url}/api/sync/logs?entity=contact&limit=1`, { key: s.adminKey });
    expect(page1.status).toBe(200);
    expect(page1.json.items).toHaveLength(1);
    expect(page1.json.nextCursor).toEqual(expect.any(String));
    const page2 = await call(`${s.url}/api/sync/logs?entity=contact&limit=1&cursor=${page1.json.nextCursor}`, { key: s.adminKey });
    expect(page2.json.items).toHaveLength(1);
    expect(page2.json.items[0].id).not.toBe(page1.json.items[0].id);
    const failed = await call(`${s.url}/api/sync/logs?status=failed`, { key: s.adminKey });
    expect(failed.json.items).toEqual([]);
    const future = await call(`${s.url}/api/sync/logs?from=2999-01-01T00:00:00Z`, { key: s.adminKey });
    expect(future.json.items).toEqual([]);
    const all = await call(`${s.url}/api/sync/logs?to=2999-01-01T00:00:00Z&limit=100`, { key: s.adminKey });
    expect(all.json.items).toHaveLength(12);
  });

  it('settings: read, change (persisted, applied), 422 outside 5–60', async () => {
    expect((await call(`${s.url}/api/sync/settings`, { key: s.adminKey })).json).toEqual({ intervalMinutes: 15 });
    const put = await call(`${s.url}/api/sync/settings`, { method: 'PUT', key: s.adminKey, body: { intervalMinutes: 30 } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ intervalMinutes: 30 });
    expect(s.scheduler.intervalMinutes).toBe(30);
    expect(await s.store.getSetting('sync.intervalMinutes')).toBe(30);
    for (const bad of [4, 61, 10.5, '15', null]) {
      const res = await call(`${s.url}/api/sync/settings`, { method: 'PUT', key: s.adminKey, body: { intervalMinutes: bad } });
      expect([bad, res.status]).toEqual([bad, 422]);
      expectErrorShape(res, 'input_invalid');
    }
    expect(s.scheduler.intervalMinutes).toBe(30);
  });
});

describe('read API', () => {
  it('lists, searches, filters, pages and hides inactive records by default', async () => {
    await syncNow(s);
    const accounts = await call(`${s.url}/api/accounts`, { key: s.userKey });
    expect(accounts.json.items.map((r: any) => r.odooId)).toEqual([10, 11]);
    expect(accounts.json.items[0]).toMatchObject({ entity: 'account', data: { name: 'Acme Corp' }, isActive: true, inactiveReason: null });
    expect(accounts.json.items[0].hash).toBeUndefined();
    const q = await call(`${s.url}/api/contacts?q=ANA`, { key: s.userKey });
    expect(q.json.items.map((r: any) => r.odooId)).toEqual([20]);
    const bySalesperson = await call(`${s.url}/api/opportunities?salesperson=6`, { key: s.userKey });
    expect(bySalesperson.json.items.map((r: any) => r.odooId)).toEqual([100]);
    const byStage = await call(`${s.url}/api/opportunities?stage=2`, { key: s.userKey });
    expect(byStage.json.items.map((r: any) => r.odooId)).toEqual([101]);
    const byPartner = await call(`${s.url}/api/invoices?partner=11`, { key: s.userKey });
    expect(byPartner.json.items.map((r: any) => r.odooId)).toEqual([501]);
    const byState = await call(`${s.url}/api/invoices?state=posted`, { key: s.userKey });
    expect(byState.json.items.map((r: any) => r.odooId)).toEqual([500]);
    const page = await call(`${s.url}/api/employees?limit=1`, { key: s.userKey });
    expect(page.json.items).toHaveLength(1);
    const next = await call(`${s.url}/api/employees?limit=1&cursor=${page.json.nextCursor}`, { key: s.userKey });
    expect(next.json.items[0].odooId).toBe(2);
    expect(next.json.nextCursor).toBeNull();

    s.source.write('res.partner', { id: 11, active: false });
    s.source.unlink('res.partner', [21]);
    await syncNow(s, { force: true });
    const active = await call(`${s.url}/api/accounts`, { key: s.userKey });
    expect(active.json.items.map((r: any) => r.odooId)).toEqual([10]);
    const inactive = await call(`${s.url}/api/accounts?include=inactive`, { key: s.userKey });
    expect(inactive.json.items.find((r: any) => r.odooId === 11)).toMatchObject({ isActive: false, inactiveReason: 'archived' });
    const deleted = await call(`${s.url}/api/contacts?include=inactive`, { key: s.userKey });
    expect(deleted.json.items.find((r: any) => r.odooId === 21)).toMatchObject({ isActive: false, inactiveReason: 'deleted' });
    const one = await call(`${s.url}/api/contacts/21`, { key: s.userKey });
    expect(one.json).toMatchObject({ odooId: 21, inactiveReason: 'deleted' });
    const missing = await call(`${s.url}/api/contacts/999`, { key: s.userKey });
    expect(missing.status).toBe(404);
    expectErrorShape(missing, 'not_found');
  });
});

describe('webhook', () => {
  it('reconciles one record; wrong secret 404; unknown model 422', async () => {
    await syncNow(s);
    s.source.write('res.partner', { id: 20, name: 'Ana Souza-Silva' });
    const hook = await call(`${s.url}/api/sync/webhook/${WEBHOOK_SECRET}`, {
      method: 'POST',
      body: { _model: 'res.partner', _id: 20, _action: 'Send Webhook Notification(#3)', name: 'Ana Souza-Silva' },
    });
    expect(hook.status).toBe(202);
    expect(hook.json).toEqual({ model: 'res.partner', odooId: 20, entities: ['account', 'contact'], status: 'queued' });
    await s.app.webhooks.idle();
    expect((await s.store.getRecord('contact', 20))?.data).toMatchObject({ name: 'Ana Souza-Silva' });
    s.source.unlink('crm.lead', [101]);
    const del = await call(`${s.url}/api/sync/webhook/${WEBHOOK_SECRET}`, { method: 'POST', body: { _model: 'crm.lead', _id: 101 } });
    expect(del.status).toBe(202);
    await s.app.webhooks.idle();
    expect(await s.store.getRecord('opportunity', 101)).toMatchObject({ isActive: false, inactiveReason: 'deleted' });

    const wrong = await call(`${s.url}/api/sync/webhook/not-the-secret`, { method: 'POST', body: { _model: 'res.partner', _id: 20 } });
    expect(wrong.status).toBe(404);
    const unknownRoute = await call(`${s.url}/api/nothing-here`, { method: 'POST', body: {} });
    expect(wrong.json).toEqual(unknownRoute.json);
    const model = await call(`${s.url}/api/sync/webhook/${WEBHOOK_SECRET}`, { method: 'POST', body: { _model: 'sale.order', _id: 1 } });
    expect(model.status).toBe(422);
    expectErrorShape(model, 'input_invalid');
  });

  it('answers 404 to every call when no secret is configured', async () => {
    const other = await startTestServer({ webhookSecret: null });
    try {
      const res = await call(`${other.url}/api/sync/webhook/${WEBHOOK_SECRET}`, { method: 'POST', body: { _model: 'res.partner', _id: 20 } });
      expect(res.status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('bad input answers 4xx with the error shape', () => {
  const json = (body: string) => ({ rawBody: body, headers: { 'Content-Type': 'application/json' } });
  it.each([
    ['PUT', '/api/sync/settings', json('{"intervalMinutes": 10'), 400, 'malformed_json'],
    ['PUT', '/api/sync/settings', json('{"intervalMinutes": 10, "extra": 1}'), 422, 'input_invalid'],
    ['PUT', '/api/sync/settings', json('{"intervalMinutes": "ten"}'), 422, 'input_invalid'],
    ['PUT', '/api/sync/settings', json('[]'), 422, 'input_invalid'],
    ['PUT', '/api/sync/settings', {}, 422, 'input_invalid'],
    ['PUT', '/api/sync/settings', { rawBody: 'intervalMinutes=10', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
    ['POST', '/api/sync/run', json('{"entity": "planet"}'), 422, 'input_invalid'],
    ['POST', '/api/sync/run', json('{"mode": "sometimes"}'), 422, 'input_invalid'],
    ['POST', '/api/sync/run', json('{"force": "yes"}'), 422, 'input_invalid'],
    ['POST', '/api/sync/run', json('{"entities": ["contact"]}'), 422, 'input_invalid'],
    ['POST', '/api/sync/run', json('nope'), 400, 'malformed_json'],
    ['GET', '/api/sync/logs?status=great', {}, 422, 'input_invalid'],
    ['GET', '/api/sync/logs?from=yesterday', {}, 422, 'input_invalid'],
    ['GET', '/api/sync/logs?limit=0', {}, 422, 'input_invalid'],
    ['GET', '/api/sync/logs?limit=abc', {}, 422, 'input_invalid'],
    ['GET', '/api/sync/logs?cursor=garbage', {}, 422, 'input_invalid'],
    ['GET', '/api/sync/logs?entity=contact&entity=account', {}, 422, 'input_invalid'],
    ['GET', '/api/sync/logs?color=blue', {}, 422, 'input_invalid'],
    ['GET', '/api/sync/status?x=1', {}, 422, 'input_invalid'],
    ['GET', '/api/sync/settings?x=1', {}, 422, 'input_invalid'],
    ['GET', '/api/accounts?limit=1001', {}, 422, 'input_invalid'],
    ['GET', '/api/accounts?include=everything', {}, 422, 'input_invalid'],
    ['GET', '/api/accounts?salesperson=6', {}, 422, 'input_invalid'],
    ['GET', '/api/contacts?cursor=%%%', {}, 422, 'input_invalid'],
    ['GET', '/api/opportunities?stage=abc', {}, 422, 'input_invalid'],
    ['GET', '/api/invoices?state=paid', {}, 422, 'input_invalid'],
    ['GET', '/api/employees?q=', {}, 422, 'input_invalid'],
    ['GET', '/api/accounts/abc', {}, 422, 'input_invalid'],
    ['GET', '/api/accounts/0', {}, 422, 'input_invalid'],
    ['POST', `/api/sync/webhook/${WEBHOOK_SECRET}`, json('{"_model": "res.partner"}'), 422, 'input_invalid'],
    ['POST', `/api/sync/webhook/${WEBHOOK_SECRET}`, json('{"_model": "res.partner", "_id": "x"}'), 422, 'input_invalid'],
    ['POST', `/api/sync/webhook/${WEBHOOK_SECRET}`, json('{"_model": "res.partner", "_id": -1}'), 422, 'input_invalid'],
    ['POST', `/api/sync/webhook/${WEBHOOK_SECRET}`, json('{'), 400, 'malformed_json'],
    ['POST', `/api/sync/webhook/${WEBHOOK_SECRET}`, {}, 422, 'input_invalid'],
    ['DELETE', '/api/sync/settings', {}, 405, 'method_not_allowed'],
    ['GET', '/api/unknown', {}, 404, 'route_not_found'],
  ] as const)('%s %s → %s', async (method, path, init, status, code) => {
    const res = await call(`${s.url}${path}`, { method, key: s.adminKey, ...init });
    expect(res.status).toBe(status);
    expectErrorShape(res, code);
  });

  it('answers 413 to a huge body on every body route, and the server keeps serving', async () => {
    const huge = JSON.stringify({ intervalMinutes: 10, pad: 'x'.repeat(2 * 1024 * 1024) });
    for (const [method, path] of [
      ['PUT', '/api/sync/settings'],
      ['POST', '/api/sync/run'],
      ['POST', `/api/sync/webhook/${WEBHOOK_SECRET}`],
    ] as const) {
      const res = await call(`${s.url}${path}`, { method, key: s.adminKey, rawBody: huge, headers: { 'Content-Type': 'application/json' } });
      expect([path, res.status]).toEqual([path, 413]);
      expectErrorShape(res, 'payload_too_large');
    }
    expect((await call(`${s.url}/healthz`)).status).toBe(200);
  });
});
