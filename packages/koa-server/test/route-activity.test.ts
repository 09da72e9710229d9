import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_IN_ACTIVITY_TYPES } from '@odoo-sync/core/activity';
import type { AnyRoute } from '../src/http/route.js';
import { call, startTestServer, type TestServer } from './helpers.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The state-changing routes of `routes` that do not say what they record in the activity timeline. */
function undeclared(routes: readonly AnyRoute[]): string[] {
  return routes.filter((route) => STATE_CHANGING.has(route.method) && route.activity === undefined).map((route) => `${route.method} ${route.path}`);
}

describe('the route table and the activity timeline', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer();
  });
  afterEach(async () => {
    await s.close();
  });

  it('every state-changing route declares what it records, or why nothing', () => {
    const routes = s.app.routes;
    expect(routes.filter((route) => STATE_CHANGING.has(route.method)).length).toBeGreaterThan(10);
    expect(undeclared(routes)).toEqual([]);
    for (const route of routes) {
      const activity = route.activity;
      if (activity === undefined) continue;
      if ('none' in activity) {
        expect(activity.none.trim().length, `${route.method} ${route.path}`).toBeGreaterThan(10);
      } else {
        for (const type of activity.types) expect(BUILT_IN_ACTIVITY_TYPES, `${route.method} ${route.path}`).toContain(type);
        expect(['durable', 'queued']).toContain(activity.mode);
      }
    }
  });

  it('the walk names a state-changing route without a declaration', () => {
    const routes = s.app.routes;
    const webhook = routes.find((route) => route.path === '/api/sync/webhook/:secret');
    expect(webhook).toBeDefined();
    const { activity: _removed, ...stripped } = webhook as AnyRoute;
    expect(undeclared([...routes.filter((route) => route !== webhook), stripped as AnyRoute])).toEqual(['POST /api/sync/webhook/:secret']);
  });

  it('OpenAPI shows each declaration as x-activity on its operation', async () => {
    const doc = (await call(`${s.url}/api/openapi.json`)).json as { paths: Record<string, Record<string, { 'x-activity'?: unknown }>> };
    const op = (method: string, path: string) => doc.paths[path]?.[method.toLowerCase()];
    for (const route of s.app.routes) {
      const operation = op(route.method, route.path.replace(/:(\w+)/g, '{$1}'));
      if (STATE_CHANGING.has(route.method)) expect(operation?.['x-activity'], `${route.method} ${route.path}`).toBeDefined();
    }
    expect(op('PUT', '/api/sync/settings')?.['x-activity']).toEqual({ types: ['sync_interval_changed'], mode: 'durable' });
    expect(op('POST', '/api/sync/webhook/{secret}')?.['x-activity']).toEqual({ none: expect.stringContaining('Odoo calls it') });
    expect(op('GET', '/api/auth/callback')?.['x-activity']).toEqual({ types: ['user_signed_in', 'user_linked'], mode: 'durable' });
  });
});
