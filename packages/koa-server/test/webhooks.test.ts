/**
 * Webhooks that arrive before Odoo commits, in storms, while Odoo is down, and across a restart;
 * and what they change in the admin candidate search.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@odoo-sync/core';
import { OdooTransportError } from '@odoo-sync/core/errors';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.js';
import { createLogger } from '../src/runtime/logger.js';
import { startServer, type RunningServer } from '../src/runtime/composition.js';
import { readTooEarly, WEBHOOK_QUEUE_KEY, webhookWriteDate } from '../src/runtime/webhook-queue.js';
import { call, startTestServer, syncNow, type TestServer, waitFor, WEBHOOK_SECRET } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function testServer(clock: ManualClock, webhooks: Record<string, unknown> = {}): Promise<TestServer> {
  const s = await startTestServer({ app: { clock, webhooks: { settleMs: 1500, retryDelaysMs: [5000, 30_000], ...webhooks } } });
  cleanups.push(() => s.close());
  return s;
}

function hook(s: TestServer, body: Record<string, unknown>) {
  return call(`${s.url}/api/sync/webhook/${WEBHOOK_SECRET}`, { method: 'POST', body });
}

/** Counts the reads by id the server makes of Odoo (the source is an in-memory Odoo). */
function countReads(s: TestServer): { count: number } {
  const counter = { count: 0 };
  const read = s.source.readByIds.bind(s.source);
  s.source.readByIds = (query, ids, options) => {
    counter.count++;
    return read(query, ids, options);
  };
  return counter;
}

describe('webhook queue', () => {
  it('a storm of 1 000 webhooks for one record in a second is one read', async () => {
    const clock = new ManualClock();
    const s = await testServer(clock);
    await syncNow(s);
    const reads = countReads(s);
    s.source.write('crm.lead', { id: 100, name: 'Acme: 80 chairs' });
    const answers: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const replies = await Promise.all(Array.from({ length: 50 }, () => hook(s, { _model: 'crm.lead', _id: 100 })));
      answers.push(...replies.map((r) => `${r.status} ${r.json.status}`));
    }
    expect(answers.filter((a) => a === '202 queued')).toHaveLength(1);
    expect(answers.filter((a) => a === '202 coalesced')).toHaveLength(999);
    expect(reads.count).toBe(0);
    await clock.advance(1500);
    await s.app.webhooks.idle();
    expect(reads.count).toBe(1);
    expect((await s.store.getRecord('opportunity', 100))?.data).toMatchObject({ name: 'Acme: 80 chairs' });
    const metrics = await call(`${s.url}/metrics`);
    expect(metrics.text).toContain('odoo_sync_webhooks_total{outcome="coalesced"} 999');
    expect(metrics.text).toContain('odoo_sync_webhooks_total{outcome="reconciled"} 1');
  });

  it('Odoo 17/18: a webhook sent before the commit is read again until the row is as recent as its write_date', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const s = await testServer(clock);
    await syncNow(s);
    await clock.advance(60_000);
    // The payload, built inside Odoo's transaction, carries the new write_date; the row is not committed yet.
    const committed = new Date(Date.parse(`${String(s.source.get('crm.lead', 100)?.['write_date']).replace(' ', 'T')}Z`) + 60_000);
    const newWriteDate = committed.toISOString().slice(0, 19).replace('T', ' ');
    const reply = await hook(s, { _model: 'crm.lead', _id: 100, name: 'Acme: 90 chairs', write_date: newWriteDate });
    expect(reply.status).toBe(202);
    await clock.advance(1500);
    await s.app.webhooks.idle();
    expect((await s.store.getRecord('opportunity', 100))?.data).toMatchObject({ name: 'Acme: 50 chairs' });
    expect(await s.app.webhooks.queued()).toMatchObject([{ model: 'crm.lead', odooId: 100, attempts: 1, writeDate: committed.toISOString() }]);
    // Odoo commits.
    s.source.write('crm.lead', { id: 100, name: 'Acme: 90 chairs', write_date: newWriteDate });
    await clock.advance(5000);
    await waitFor(async () => (await s.app.webhooks.queued()).length === 0, 10_000, 'the retry to be done');
    expect((await s.store.getRecord('opportunity', 100))?.data).toMatchObject({ name: 'Acme: 90 chairs' });
  });

  it('without write_date in the payload, a read that changed nothing is tried once more', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const s = await testServer(clock);
    await syncNow(s);
    const reads = countReads(s);
    await hook(s, { _model: 'crm.lead', _id: 100 });
    await clock.advance(1500);
    await s.app.webhooks.idle();
    expect(reads.count).toBe(1);
    s.source.write('crm.lead', { id: 100, name: 'Committed late' });
    await clock.advance(5000);
    await waitFor(async () => (await s.app.webhooks.queued()).length === 0, 10_000, 'the retry to be done');
    expect(reads.count).toBe(2);
    expect((await s.store.getRecord('opportunity', 100))?.data).toMatchObject({ name: 'Committed late' });
    // Nothing more: the retries are bounded.
    await clock.advance(120_000);
    await s.app.webhooks.idle();
    expect(reads.count).toBe(2);
  });

  it('Odoo down: the webhook is kept in the store and read when Odoo answers again; given up after its retries', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const s = await testServer(clock);
    await syncNow(s);
    s.source.write('crm.lead', { id: 101, name: 'Globex: 40 desks' });
    s.source.failAfter(0, new OdooTransportError('connect ECONNREFUSED'));
    await hook(s, { _model: 'crm.lead', _id: 101 });
    await clock.advance(1500);
    await s.app.webhooks.idle();
    expect(await s.store.getSetting(WEBHOOK_QUEUE_KEY)).toMatchObject([{ model: 'crm.lead', odooId: 101, attempts: 1 }]);
    await clock.advance(5000);
    await waitFor(async () => (await s.app.webhooks.queued()).length === 0, 10_000, 'the retry to be done');
    expect((await s.store.getRecord('opportunity', 101))?.data).toMatchObject({ name: 'Globex: 40 desks' });

    // Down for good: two retries, then given up.
    for (let i = 0; i < 3; i++) s.source.failAfter(0, new OdooTransportError('connect ECONNREFUSED'));
    await hook(s, { _model: 'crm.lead', _id: 100 });
    await clock.advance(1500);
    await s.app.webhooks.idle();
    await clock.advance(5000);
    await waitFor(async () => (await s.app.webhooks.queued())[0]?.attempts === 2, 10_000, 'the second attempt');
    await clock.advance(30_000);
    await waitFor(async () => (await s.app.webhooks.queued()).length === 0, 10_000, 'the webhook to be given up');
  });

  it('a res.users change from a webhook shows in the admin candidate search at once', async () => {
    const clock = new ManualClock();
    const s = await testServer(clock);
    await syncNow(s);
    const before = await call(`${s.url}/api/admin/odoo-candidates?q=marc`, { key: s.adminKey });
    expect(before.json.items.map((c: { name: string }) => c.name)).toContain('Marc Demo');
    s.source.write('res.users', { id: 6, name: 'Marcel Dupont' });
    await hook(s, { _model: 'res.users', _id: 6 });
    await clock.advance(1500);
    await s.app.webhooks.idle();
    await waitFor(
      async () => {
        const after = await call(`${s.url}/api/admin/odoo-candidates?q=dupont`, { key: s.adminKey });
        return after.json.items.some((c: { name: string }) => c.name === 'Marcel Dupont');
      },
      3000,
      'the new name in the candidate search',
    );
  });

  it('reads at most maxConcurrentReads records at once, each once', async () => {
    const clock = new ManualClock();
    const s = await testServer(clock, { maxConcurrentReads: 2 });
    await syncNow(s);
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const read = s.source.readByIds.bind(s.source);
    s.source.readByIds = async (query, ids, options) => {
      running++;
      most = Math.max(most, running);
      seen.push(...ids);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return read(query, ids, options);
    };
    for (const id of [20, 21, 10, 11]) expect((await hook(s, { _model: 'res.partner', _id: id })).json.status).toBe('queued');
    await clock.advance(1500);
    await s.app.webhooks.idle();
    expect(most).toBe(2);
    // res.partner feeds two entities: one read each, per record.
    expect(seen.sort((a, b) => a - b)).toEqual([10, 10, 11, 11, 20, 20, 21, 21]);
  });

  it('readTooEarly and webhookWriteDate', () => {
    const notice = { model: 'crm.lead', odooId: 1, writeDate: '2026-03-01T10:01:00.000Z' };
    const read = (writeDate: string | null, outcome: 'unchanged' | 'updated' | 'absent' = 'unchanged') => [{ entity: 'opportunity' as const, odooId: 1, outcome, writeDate }];
    expect(readTooEarly(notice, read('2026-03-01T10:00:00.000Z'), 0)).toBe(true);
    expect(readTooEarly(notice, read('2026-03-01T10:01:00.000Z'), 0)).toBe(false);
    expect(readTooEarly(notice, [{ entity: 'opportunity', odooId: 1, outcome: 'absent' }], 3)).toBe(true);
    expect(readTooEarly({ ...notice, writeDate: null }, read(null), 0)).toBe(true);
    expect(readTooEarly({ ...notice, writeDate: null }, read(null), 1)).toBe(false);
    expect(readTooEarly({ ...notice, writeDate: null }, read(null, 'updated'), 0)).toBe(false);
    expect(webhookWriteDate('2026-03-01 10:01:00')).toBe('2026-03-01T10:01:00.000Z');
    expect(webhookWriteDate(false)).toBeNull();
    expect(webhookWriteDate('yesterday')).toBeNull();
  });
});

describe('webhook retries survive a restart (odoo-sim, SQLite)', () => {
  it('a webhook received while Odoo fails is read by the next server process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-webhooks-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 3, counts: { partners: 20, opportunities: 10, invoices: 5, employees: 3, users: 3 } });
    cleanups.push(() => sim.close());
    const config = loadConfig(
      {
        ODOO_URL: sim.url,
        ODOO_DB: sim.db,
        ODOO_USERNAME: sim.credentials.username,
        ODOO_API_KEY: sim.credentials.apiKey,
        ODOO_PROTOCOL: 'xmlrpc',
        STORE_URL: `sqlite:${join(dir, 'sync.db')}`,
        PORT: '0',
        WEBHOOK_SECRET: WEBHOOK_SECRET,
        LOG_LEVEL: 'silent',
      },
      { envFile: false, cwd: dir },
    );
    const start = (retryDelaysMs: number[]) =>
      startServer(config, {
        logger: createLogger({ level: 'silent' }),
        processMetrics: false,
        odooClient: { retries: 0 },
        reconciler: { retry: false },
        scheduler: { runOnStart: false },
        webhooks: { settleMs: 10, retryDelaysMs, pollMs: 50 },
      });
    let first: RunningServer | null = await start([3_600_000]);
    cleanups.push(() => first?.close());
    const { done } = await first.scheduler.startRun({ mode: 'full', trigger: 'manual', force: false });
    expect((await done).status).toBe('success');
    const [lead] = sim.searchRead('crm.lead', [['type', '=', 'opportunity']], { limit: 1, fields: ['name'] });
    const id = lead?.id as number;
    sim.write('crm.lead', [id], { name: 'Written while odoo-sync could not read' });
    sim.faults.html502(1000);
    const reply = await call(`${first.url}/api/sync/webhook/${WEBHOOK_SECRET}`, { method: 'POST', body: { _model: 'crm.lead', _id: id } });
    expect(reply.status).toBe(202);
    await waitFor(async () => (await first!.app.webhooks.queued()).length === 1, 15_000, 'the webhook to be kept for retry');
    await first.close();
    first = null;

    sim.faults.reset();
    const second = await start([3_600_000]);
    cleanups.push(() => second.close());
    // Not due for an hour: still waiting.
    expect(await second.app.webhooks.queued()).toMatchObject([{ model: 'crm.lead', odooId: id, attempts: 1 }]);
    await second.close();

    // A replica whose clock says the retry is due reads it.
    const later = await startServer(config, {
      logger: createLogger({ level: 'silent' }),
      processMetrics: false,
      odooClient: { retries: 0 },
      scheduler: { runOnStart: false },
      clock: { ...systemClockPlus(2 * 3_600_000) },
      webhooks: { settleMs: 10, retryDelaysMs: [3_600_000], pollMs: 50 },
    });
    cleanups.push(() => later.close());
    await waitFor(async () => (await later.app.webhooks.queued()).length === 0, 15_000, 'the stored retry to be read');
    const record = await later.store.getRecord('opportunity', id);
    expect(record?.data).toMatchObject({ name: 'Written while odoo-sync could not read' });
  });
});

/** The system clock, `offsetMs` ahead. */
function systemClockPlus(offsetMs: number) {
  return {
    now: () => new Date(Date.now() + offsetMs),
    setTimeout: (fn: () => void, ms: number) => {
      const timer = setTimeout(fn, ms);
      timer.unref();
      return timer as never;
    },
    clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
  };
}
