import { MemoryStore } from '@odoo-sync/core';
import { ActivityLogger, type ActivityStore } from '@odoo-sync/core/activity';
import { StoreError } from '@odoo-sync/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { UndeclaredActivityError, undeclaredTypes, writeNotedActivities } from '../src/http/activity-middleware.js';
import { defineRoute } from '../src/http/route.js';
import { toServerLogger } from '../src/runtime/logger.js';
import { ServerMetrics } from '../src/runtime/metrics.js';
import { call, startTestServer, type TestServer } from './helpers.js';

const silent = toServerLogger({ debug() {}, info() {}, warn() {}, error() {} });

/** An activity store whose writes fail, as a store that went away would. */
function failingActivityStore(): ActivityStore & { attempts: number } {
  const memory = new MemoryStore();
  return {
    attempts: 0,
    async appendActivities() {
      this.attempts++;
      throw new StoreError('disk I/O error');
    },
    queryActivities: (query) => memory.queryActivities(query),
    streamActivities: (filter) => memory.streamActivities(filter),
    purgeActivities: (before) => memory.purgeActivities(before),
  };
}

async function metricValue(server: TestServer, line: RegExp): Promise<number> {
  const text = (await call(`${server.url}/metrics`)).text;
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? Number.NaN : Number(found.split(' ').at(-1));
}

describe('activity middleware', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('writes what a route noted before the answer is sent, once, with the caller', async () => {
    server = await startTestServer();
    const admin = await server.store.getUserByEmail('admin@example.com');
    const res = await call(`${server.url}/api/sync/settings`, { method: 'PUT', key: server.adminKey, body: { intervalMinutes: 42 } });
    expect(res.status).toBe(200);
    // Durable: stored by the time the answer arrived, no waiting.
    const { items } = await server.store.queryActivities({ activityType: 'sync_interval_changed' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      activityType: 'sync_interval_changed',
      userId: admin?.id,
      userName: admin?.name,
      source: 'app',
      metadata: { after: { intervalMinutes: 42 } },
    });
    expect(await metricValue(server, /^odoo_sync_activities_written_total /)).toBe(1);
  });

  it('writes nothing when the handler fails', async () => {
    server = await startTestServer();
    const res = await call(`${server.url}/api/sync/settings`, { method: 'PUT', key: server.adminKey, body: { intervalMinutes: -1 } });
    expect(res.status).toBe(422);
    expect((await server.store.queryActivities()).items).toEqual([]);
  });

  it('a store failure while logging does not fail the request: counted and logged without metadata', async () => {
    const failing = failingActivityStore();
    const logged: Array<{ msg: string; fields: unknown }> = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error(fields: unknown, msg: string) {
        logged.push({ msg, fields });
      },
    };
    server = await startTestServer({ app: { activities: new ActivityLogger({ store: failing }), logger } });
    const res = await call(`${server.url}/api/sync/settings`, { method: 'PUT', key: server.adminKey, body: { intervalMinutes: 17 } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ intervalMinutes: 17 });
    expect(server.scheduler.intervalMinutes).toBe(17);
    expect(failing.attempts).toBe(1);
    expect(await metricValue(server, /^odoo_sync_activities_dropped_total\{reason="store_failed"\}/)).toBe(1);
    expect(await metricValue(server, /^odoo_sync_activities_written_total /)).toBe(0);
    const entry = logged.find((l) => l.msg.startsWith('activity not recorded'));
    expect(entry?.fields).toMatchObject({ activityType: 'sync_interval_changed', route: '/api/sync/settings', err: { code: 'store_error' } });
    expect(JSON.stringify(entry?.fields)).not.toContain('intervalMinutes');
  });
});

describe('writeNotedActivities', () => {
  const route = (activity?: Parameters<typeof defineRoute>[0]['activity']) =>
    defineRoute({
      method: 'POST',
      path: '/test',
      operationId: 'test',
      summary: 'test',
      tag: 'test',
      access: 'public',
      responses: {},
      ...(activity ? { activity } : {}),
      async handle() {},
    });
  const event = (activityType: string) => ({ activityType, title: `t ${activityType}`, userId: 'u1' });

  it('refuses a noted type the route does not declare (a programming error)', async () => {
    const store = new MemoryStore();
    const deps = { activities: new ActivityLogger({ store }), metrics: new ServerMetrics(), logger: silent };
    const declared = route({ types: ['user_approved'], mode: 'durable' });
    await expect(writeNotedActivities(declared, { activities: [event('user_approved'), event('user_rejected')] }, deps)).rejects.toThrow(
      UndeclaredActivityError,
    );
    await expect(writeNotedActivities(route({ none: 'nothing' }), { activities: [event('user_approved')] }, deps)).rejects.toThrow(/user_approved/);
    await expect(writeNotedActivities(route(), { activities: [event('user_approved')] }, deps)).rejects.toThrow(UndeclaredActivityError);
    expect((await store.queryActivities()).items).toEqual([]);
    expect(undeclaredTypes({ types: ['a', 'b'], mode: 'queued' }, [event('a'), event('c'), event('c')])).toEqual(['c']);
  });

  it('queues the activities of a queued route without waiting for the store', async () => {
    const store = new MemoryStore();
    const activities = new ActivityLogger({ store, flushIntervalMs: 60_000 });
    const deps = { activities, metrics: new ServerMetrics(), logger: silent };
    const state = { activities: [event('account_viewed_360')] };
    await writeNotedActivities(route({ types: ['account_viewed_360'], mode: 'queued' }), state, deps);
    expect(state.activities).toEqual([]);
    expect(activities.stats.queued).toBe(1);
    expect((await store.queryActivities()).items).toEqual([]);
    await activities.close();
    expect((await store.queryActivities()).items.map((a) => a.activityType)).toEqual(['account_viewed_360']);
  });

  it('counts an event the logger refuses as invalid and goes on', async () => {
    const metrics = new ServerMetrics();
    const deps = { activities: new ActivityLogger({ store: new MemoryStore() }), metrics, logger: silent };
    await writeNotedActivities(route({ types: ['user_approved'], mode: 'durable' }), { activities: [{ activityType: 'user_approved', title: '' }] }, deps);
    expect((await metrics.render()).body).toMatch(/odoo_sync_activities_dropped_total\{reason="invalid"\} 1/);
  });
});
