import type { Readable } from 'node:stream';
import { MemoryStore, systemClock, type Activity } from '@odoo-sync/core';
import { ActivityLogger } from '@odoo-sync/core/activity';
import { describe, expect, it } from 'vitest';
import { activityRoutes } from '../src/http/routes/activities.js';
import { toServerLogger } from '../src/runtime/logger.js';

const TOTAL = 20_000;

describe('GET /api/activities/export.csv streams with backpressure', () => {
  it('reads the store only as fast as the answer is consumed', async () => {
    const store = new MemoryStore();
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    const rows: Activity[] = Array.from({ length: TOTAL }, (_, i) => ({
      id: `a${String(i).padStart(6, '0')}`,
      activityType: 'note',
      title: `Note ${i} on the account`,
      entityType: 'account',
      entityId: String(i % 50),
      userId: null,
      userName: null,
      source: 'odoo',
      metadata: {},
      timestamp: new Date(base + i * 1000).toISOString(),
    }));
    await store.appendActivities(rows);
    let pulled = 0;
    const stream = store.streamActivities.bind(store);
    store.streamActivities = (filter) =>
      (async function* counted() {
        for await (const activity of stream(filter)) {
          pulled++;
          yield activity;
        }
      })();
    const deps = {
      store,
      clock: systemClock,
      logger: toServerLogger({ debug() {}, info() {}, warn() {}, error() {} }),
      activities: new ActivityLogger({ store }),
    };
    const route = activityRoutes(deps, ['account']).find((r) => r.path === '/api/activities/export.csv');
    if (!route) throw new Error('no export route');
    const headers: Record<string, string> = {};
    const ctx = {
      state: { principal: { user: { id: 'admin', name: 'Admin', role: 'admin', status: 'approved' }, method: 'api_key' } },
      set: (name: string, value: string) => {
        headers[name] = value;
      },
      type: '',
      body: undefined as unknown,
    };
    await route.handle(ctx as never, { query: {}, params: undefined, body: undefined });
    expect(headers['Content-Disposition']).toMatch(/^attachment; filename="activities-start-to-\d{4}-\d{2}-\d{2}\.csv"$/);
    // Before anyone reads: only what the first chunk needed (one store page).
    expect(pulled).toBeLessThanOrEqual(1000);
    const body = ctx.body as Readable;
    let text = '';
    let chunks = 0;
    for await (const chunk of body) {
      text += String(chunk);
      if (++chunks === 3) break;
    }
    expect(text.startsWith('\uFEFFid,timestamp,')).toBe(true);
    // A slow reader holds the export back: a few chunks and the stream's buffer, not the whole store.
    expect(pulled).toBeLessThan(TOTAL / 4);
  });
});
