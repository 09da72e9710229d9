import { afterEach, beforeEach, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => {
  await s.close();
});

it('documents every route the app serves, with the schemas that validate them', async () => {
  const res = await call(`${s.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  const doc = res.json;
  expect(doc.openapi).toBe('3.1.0');
  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const served = s.app.routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
  expect(documented.sort()).toEqual(served.sort());
  for (const required of [
    'GET /healthz',
    'GET /readyz',
    'GET /metrics',
    'GET /api/sync/status',
    'POST /api/sync/run',
    'GET /api/sync/logs',
    'GET /api/sync/settings',
    'PUT /api/sync/settings',
    'POST /api/sync/webhook/{secret}',
    'GET /api/accounts',
    'GET /api/contacts',
    'GET /api/opportunities',
    'GET /api/invoices',
    'GET /api/employees',
    'GET /api/openapi.json',
  ]) {
    expect(documented).toContain(required);
  }
  const put = doc.paths['/api/sync/settings'].put;
  expect(put.requestBody.content['application/json'].schema).toMatchObject({
    type: 'object',
    properties: { intervalMinutes: { type: 'integer', minimum: 5, maximum: 60 } },
    additionalProperties: false,
  });
  expect(put.security).toEqual([{ apiKey: [] }]);
  expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '422', '400', '413']));
  const opportunities = doc.paths['/api/opportunities'].get;
  const names = opportunities.parameters.map((p: { name: string }) => p.name);
  expect(names).toEqual(expect.arrayContaining(['q', 'include', 'limit', 'cursor', 'salesperson', 'stage', 'partner']));
  const invoiceState = doc.paths['/api/invoices'].get.parameters.find((p: { name: string }) => p.name === 'state');
  expect(invoiceState.schema.enum).toEqual(['draft', 'posted', 'cancel']);
  expect(doc.paths['/api/sync/webhook/{secret}'].post.parameters[0]).toMatchObject({ name: 'secret', in: 'path', required: true });
  expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
});
