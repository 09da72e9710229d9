/**
 * End to end: the real server (startServer) against odoo-sim over HTTP and a temporary SQLite
 * file, driven through the HTTP API only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTITY_NAMES, ENTITY_SPECS } from '@odoo-sync/core';
import { OdooClient } from '@odoo-sync/odoo-adapter';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.js';
import { SERVER_ENTITY_NAMES } from '../src/runtime/config-values.js';
import { createLogger } from '../src/runtime/logger.js';
import { startServer, type RunningServer } from '../src/runtime/composition.js';
import { call, waitFor } from './helpers.js';
import { startSmtp } from './smtp.js';

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';
const WEBHOOK = 'e2e-webhook-secret-0123456789';
const COUNTS = { partners: 60, opportunities: 30, invoices: 30, employees: 8, users: 5 };

type Sim = Awaited<ReturnType<typeof startOdooSim>>;

let dir: string;
let sim: Sim;
let odoo: OdooClient;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sync-e2e-'));
  sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 11, counts: COUNTS });
  odoo = new OdooClient({ url: sim.url, db: sim.db, username: sim.credentials.username, apiKey: sim.credentials.apiKey, retries: 0 });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await odoo.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ODOO_URL: sim.url,
    ODOO_DB: sim.db,
    ODOO_USERNAME: sim.credentials.username,
    ODOO_API_KEY: sim.credentials.apiKey,
    STORE_URL: `sqlite:${join(dir, 'sync.db')}`,
    PORT: '0',
    WEBHOOK_SECRET: WEBHOOK,
    ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

async function start(options: Parameters<typeof startServer>[1] = {}, extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig(env(extraEnv), { envFile: false, cwd: dir });
  const running = await startServer(config, { logger: createLogger({ level: 'silent' }), processMetrics: false, ...options });
  cleanups.push(() => running.close());
  return running;
}

/** Starts a run through the API and waits until its log entries are all there. */
async function runViaApi(server: RunningServer, body: Record<string, unknown> = {}): Promise<any[]> {
  const res = await call(`${server.url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body });
  expect(res.status).toBe(202);
  const expected = res.json.entities.length as number;
  return waitFor(
    async () => {
      const logs = await call(`${server.url}/api/sync/logs?runId=${res.json.runId}&limit=100`, { key: ADMIN_KEY });
      return logs.json.items.length === expected && !(await server.scheduler.status()).running ? (logs.json.items as any[]) : undefined;
    },
    60_000,
    `run ${res.json.runId} to finish`,
  );
}

async function odooCount(entity: (typeof ENTITY_NAMES)[number]): Promise<number> {
  const spec = ENTITY_SPECS[entity];
  return odoo.searchCount(spec.model, spec.domain, { context: { active_test: false } });
}

describe('end to end against odoo-sim and SQLite', () => {
  it('first sync fills every entity; a change, an archive and a delete show up after the next run; status and logs say so', async () => {
    const server = await start();
    const first = await runViaApi(server, { mode: 'full' });
    expect(first.map((e) => [e.entity, e.status]).sort()).toEqual(SERVER_ENTITY_NAMES.map((e) => [e, 'success']).sort());

    const status = await call(`${server.url}/api/sync/status`, { key: ADMIN_KEY });
    expect(status.json).toMatchObject({ healthy: true, consecutiveFailures: 0, lastSuccessAt: expect.any(String) });
    for (const entity of ENTITY_NAMES) {
      const row = status.json.entities.find((e: any) => e.entity === entity);
      expect([entity, row.active > 0]).toEqual([entity, true]);
      expect([entity, row.active + row.archived]).toEqual([entity, await odooCount(entity)]);
      expect(row.lastRunStatus).toBe('success');
    }
    expect(status.json.employeesSynced).toBe(status.json.entities.find((e: any) => e.entity === 'employee').active);

    // Change a contact, archive an opportunity, delete an employee — in Odoo.
    const contacts = await call(`${server.url}/api/contacts?limit=1`, { key: ADMIN_KEY });
    const contactId = contacts.json.items[0].odooId as number;
    const opportunities = await call(`${server.url}/api/opportunities?limit=1`, { key: ADMIN_KEY });
    const opportunityId = opportunities.json.items[0].odooId as number;
    const employees = await call(`${server.url}/api/employees?limit=1`, { key: ADMIN_KEY });
    const employeeId = employees.json.items[0].odooId as number;
    await odoo.write('res.partner', [contactId], { name: 'Renamed In Odoo' });
    await odoo.write('crm.lead', [opportunityId], { active: false });
    await odoo.unlink('hr.employee', [employeeId]);

    const second = await runViaApi(server);
    const byEntity = Object.fromEntries(second.map((e) => [e.entity, e]));
    expect(byEntity['contact']).toMatchObject({ status: 'success', mode: 'incremental', trigger: 'manual' });
    expect(byEntity['contact'].counts.updated).toBeGreaterThanOrEqual(1);
    expect(byEntity['opportunity'].counts.archived).toBe(1);
    expect(byEntity['employee'].counts.softDeleted).toBe(1);

    const contact = await call(`${server.url}/api/contacts/${contactId}`, { key: ADMIN_KEY });
    expect(contact.json).toMatchObject({ isActive: true, data: { name: 'Renamed In Odoo' } });
    const hidden = await call(`${server.url}/api/opportunities?limit=1000`, { key: ADMIN_KEY });
    expect(hidden.json.items.some((r: any) => r.odooId === opportunityId)).toBe(false);
    const archived = await call(`${server.url}/api/opportunities/${opportunityId}`, { key: ADMIN_KEY });
    expect(archived.json).toMatchObject({ isActive: false, inactiveReason: 'archived' });
    const deleted = await call(`${server.url}/api/employees?include=inactive&limit=1000`, { key: ADMIN_KEY });
    expect(deleted.json.items.find((r: any) => r.odooId === employeeId)).toMatchObject({ isActive: false, inactiveReason: 'deleted' });

    const after = await call(`${server.url}/api/sync/status`, { key: ADMIN_KEY });
    const opportunityStatus = after.json.entities.find((e: any) => e.entity === 'opportunity');
    expect(opportunityStatus.archived).toBeGreaterThanOrEqual(1);
    const employeeStatus = after.json.entities.find((e: any) => e.entity === 'employee');
    expect(employeeStatus.deleted).toBe(1);
    const logs = await call(`${server.url}/api/sync/logs?entity=employee`, { key: ADMIN_KEY });
    expect(logs.json.items.map((e: any) => e.mode)).toEqual(['incremental', 'full']);
  });

  it('the webhook updates, archives and deletes one record a moment after it answers', async () => {
    const server = await start();
    await runViaApi(server, { mode: 'full' });
    const contacts = await call(`${server.url}/api/contacts?limit=2`, { key: ADMIN_KEY });
    const [a, b] = contacts.json.items.map((r: any) => r.odooId as number);
    await odoo.write('res.partner', [a], { name: 'Webhook Rename' });
    const hook = await call(`${server.url}/api/sync/webhook/${WEBHOOK}`, {
      method: 'POST',
      body: { _action: 'Send Webhook Notification(#7)', _model: 'res.partner', _id: a, id: a, name: 'Webhook Rename' },
    });
    expect(hook.status).toBe(202);
    await server.app.webhooks.idle();
    expect((await call(`${server.url}/api/contacts/${a}`, { key: ADMIN_KEY })).json.data.name).toBe('Webhook Rename');

    await odoo.write('res.partner', [b], { active: false });
    await call(`${server.url}/api/sync/webhook/${WEBHOOK}`, { method: 'POST', body: { _model: 'res.partner', _id: b } });
    await server.app.webhooks.idle();
    expect((await call(`${server.url}/api/contacts/${b}`, { key: ADMIN_KEY })).json.inactiveReason).toBe('archived');

    const employees = await call(`${server.url}/api/employees?limit=1`, { key: ADMIN_KEY });
    const employeeId = employees.json.items[0].odooId as number;
    await odoo.unlink('hr.employee', [employeeId]);
    const gone = await call(`${server.url}/api/sync/webhook/${WEBHOOK}`, { method: 'POST', body: { _model: 'hr.employee', _id: employeeId } });
    expect(gone.status).toBe(202);
    await server.app.webhooks.idle();
    expect((await call(`${server.url}/api/employees/${employeeId}`, { key: ADMIN_KEY })).json).toMatchObject({ inactiveReason: 'deleted' });

    const metrics = await call(`${server.url}/metrics`);
    expect(metrics.text).toContain('odoo_sync_webhooks_total{outcome="reconciled"} 3');
  });

  it('e-mails admins after 3 failed runs in a row and once on recovery (Odoo down, then back)', async () => {
    const smtp = await startSmtp();
    cleanups.push(smtp.close);
    const config = loadConfig(
      env({ SMTP_URL: smtp.url, ALERT_FROM: 'odoo-sync <alerts@example.com>', ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com' }),
      { envFile: false, cwd: dir },
    );
    const server = await startServer(config, {
      logger: createLogger({ level: 'silent' }),
      processMetrics: false,
      odooClient: { retries: 0, timeoutMs: 5000 },
      reconciler: { retry: false },
      scheduler: { retry: false },
    });
    cleanups.push(() => server.close());
    await runViaApi(server, { mode: 'full', entity: 'contact' });
    expect(smtp.received).toHaveLength(0);

    // Odoo goes down: a proxy in front answers 502 to everything.
    sim.faults.html502(1_000_000);
    const expected = [0, 0, 1, 1];
    for (const [i, count] of expected.entries()) {
      const entries = await runViaApi(server, { entity: 'contact' });
      expect(entries[0].status).toBe('failed');
      expect([`failed run ${i + 1}`, smtp.received.length]).toEqual([`failed run ${i + 1}`, count]);
    }
    expect(smtp.received[0]?.to).toEqual(['ops@example.com']);
    expect(smtp.received[0]?.data).toContain('X-Odoo-Sync-Alert: sync_failing');
    const failing = await call(`${server.url}/api/sync/status`, { key: ADMIN_KEY });
    expect(failing.json).toMatchObject({ healthy: false, consecutiveFailures: 4 });

    // Odoo comes back.
    sim.faults.reset();
    await runViaApi(server, { entity: 'contact' });
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]?.data).toContain('X-Odoo-Sync-Alert: sync_recovered');
    await runViaApi(server, { entity: 'contact' });
    expect(smtp.received).toHaveLength(2);
  });

  it('shutdown stops a running sync at a checkpoint, releases its leases and closes the store', async () => {
    const server = await start();
    sim.faults.latency(40);
    const run = await call(`${server.url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body: { mode: 'full' } });
    expect(run.status).toBe(202);
    await waitFor(async () => (await server.scheduler.status()).running, 10_000, 'the run to start');
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    sim.faults.reset();
    const store = SqliteStore.open(join(dir, 'sync.db'));
    try {
      const now = new Date();
      expect(await store.getLease('sync:scheduler', now)).toBeNull();
      for (const entity of ENTITY_NAMES) expect(await store.getLease(`sync:entity:${entity}`, now)).toBeNull();
      const logs = await store.listSyncLogs({ runId: run.json.runId });
      // The run stopped early (run_aborted) or had just finished; whatever was logged is consistent.
      expect(logs.items.length).toBeLessThanOrEqual(SERVER_ENTITY_NAMES.length);
      for (const entry of logs.items) expect(['success', 'failed']).toContain(entry.status);
      for (const entry of logs.items.filter((e) => e.status === 'failed')) expect(entry.error?.code).toBe('run_aborted');
    } finally {
      await store.close();
    }
  });
});
