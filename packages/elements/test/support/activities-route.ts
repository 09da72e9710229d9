/**
 * `GET /api/activities` for the timeline's tests. The server answers it once the activity API
 * is part of it; until then this answers the same contract from the same SQLite store (through
 * the store's activity port), inside the browser's network layer — and only when the server
 * itself answers 404 `route_not_found` for it.
 */
import type { Page } from 'playwright-core';
import type { Stack } from './stack.js';

/** Whether the server has the activity API. */
export async function serverHasActivities(stack: Stack): Promise<boolean> {
  const res = await fetch(`${stack.url}/api/activities?limit=1`, { headers: { Authorization: `Bearer ${stack.adminKey}` } });
  const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
  return !(res.status === 404 && body?.error?.code === 'route_not_found');
}

type ActivityQuery = NonNullable<Parameters<Stack['server']['store']['queryActivities']>[0]>;

/** `YYYY-MM-DD` is that day (UTC): `from` its start, `to` the end of it. */
function day(value: string, end: boolean): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const start = Date.parse(`${value}T00:00:00.000Z`);
  return new Date(end ? start + 24 * 3600_000 : start);
}

/** Answers `GET /api/activities` from the store when the server does not (see the module's note). */
export async function routeActivitiesIfMissing(page: Page, stack: Stack): Promise<void> {
  if (await serverHasActivities(stack)) return;
  await page.route(`${stack.url}/api/activities?**`, async (route) => {
    const params = new URL(route.request().url()).searchParams;
    const types = params.getAll('type').flatMap((t) => t.split(',')).filter(Boolean);
    const source = params.get('source');
    const query: ActivityQuery = {
      ...(types.length > 0 ? { activityType: types } : {}),
      ...(params.get('entityType') ? { entityType: params.get('entityType')! } : {}),
      ...(params.get('entityId') ? { entityId: params.get('entityId')! } : {}),
      ...(params.get('userId') ? { userId: params.get('userId')! } : {}),
      ...(source === 'app' || source === 'odoo' ? { source } : {}),
      ...(params.get('q') ? { titleContains: params.get('q')! } : {}),
      ...(params.get('from') ? { from: day(params.get('from')!, false) } : {}),
      ...(params.get('to') ? { to: day(params.get('to')!, true) } : {}),
      limit: Number(params.get('limit') ?? 50),
      cursor: params.get('cursor'),
    };
    const page = await stack.server.store.queryActivities(query);
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: page.items, nextCursor: page.nextCursor }) });
  });
}
