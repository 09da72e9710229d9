/**
 * Activity from Odoo itself in the timeline, end to end: the real server (startServer) against
 * odoo-sim over HTTP and a temporary SQLite file. Odoo's scheduled activities and chatter
 * messages are synced as entities and projected into the activity store (source `odoo`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from '@odoo-sync/core';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.js';
import { createLogger } from '../src/runtime/logger.js';
import { startServer, type RunningServer } from '../src/runtime/composition.js';
import { call, waitFor } from './helpers.js';

const ADMIN_KEY = 'odooact-admin-key-0123456789abcdef';
const COUNTS = { partners: 60, opportunities: 30, invoices: 10, employees: 8, users: 6, activities: 40, messages: 80 };

type Sim = Awaited<ReturnType<typeof startOdooSim>>;

let dir: string;
let sim: Sim;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sync-odooact-'));
  sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 13, counts: COUNTS });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig(
    {
      ODOO_URL: sim.url,
      ODOO_DB: sim.db,
      ODOO_USERNAME: sim.credentials.username,
      ODOO_API_KEY: sim.credentials.apiKey,
      STORE_URL: `sqlite:${join(dir, 'sync.db')}`,
      PORT: '0',
      ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      LOG_LEVEL: 'silent',
      ...extraEnv,
    },
    { envFile: false, cwd: dir },
  );
  const running = await startServer(config, { logger: createLogger({ level: 'silent' }), processMetrics: false });
  cleanups.push(() => running.close());
  return running;
}

/** Starts a run through the API and waits until it has finished. */
async function runViaApi(server: RunningServer, body: Record<string, unknown> = {}): Promise<Array<{ entity: string; status: string }>> {
  await waitFor(async () => !(await server.scheduler.status()).running, 60_000, 'the startup sync');
  const res = await call(`${server.url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body });
  expect(res.status).toBe(202);
  const expected = res.json.entities.length as number;
  return waitFor(
    async () => {
      const logs = await call(`${server.url}/api/sync/logs?runId=${res.json.runId}&limit=100`, { key: ADMIN_KEY });
      return logs.json.items.length === expected && !(await server.scheduler.status()).running ? logs.json.items : undefined;
    },
    60_000,
    `run ${res.json.runId} to finish`,
  );
}

async function odooActivities(server: RunningServer): Promise<Map<string, Activity>> {
  const out = new Map<string, Activity>();
  for await (const activity of server.store.streamActivities({ source: 'odoo' })) out.set(activity.id, activity);
  return out;
}

const inDomain = () =>
  sim.count('mail.message', ['&', ['model', 'in', ['crm.lead', 'res.partner']], '|', ['message_type', 'in', ['comment', 'email']], ['mail_activity_type_id', '!=', false]]);

describe('Odoo activity in the timeline, against odoo-sim and SQLite', () => {
  it('syncs calls and notes into the timeline with their record and user; re-syncing keeps one per id; a moved deadline updates it; mark done keeps it and adds the message', async () => {
    // A call on an opportunity, and the person it is assigned to signs in to odoo-sync.
    const opportunityIds = new Set(sim.searchRead('crm.lead', [['type', '=', 'opportunity']], { fields: ['id'] }).map((row) => row.id));
    const calls = sim.searchRead('mail.activity', [['activity_type_id', '=', 2], ['res_model', '=', 'crm.lead']], { fields: ['res_id', 'user_id', 'summary', 'res_name', 'date_deadline'] });
    const theCall = calls.find((row) => opportunityIds.has(row['res_id'] as number) && typeof row['summary'] === 'string');
    expect(theCall, 'a seeded call on an opportunity').toBeDefined();
    const [odooUid, odooUserName] = theCall!['user_id'] as [number, string];

    const server = await start();
    await server.store.createUser({ id: 'app-seller', email: 'seller@example.com', name: 'Seller (app)', role: 'user', status: 'approved' }, new Date());
    await server.store.updateUser(
      'app-seller',
      { odooLink: { odooUserId: odooUid, employeeId: null, strategy: 'email', linkedAt: new Date().toISOString(), linkedBy: 'app-seller' } },
      new Date(),
    );
    const first = await runViaApi(server, { mode: 'full' });
    expect(first.filter((e) => e.entity.startsWith('mail_')).map((e) => [e.entity, e.status]).sort()).toEqual([
      ['mail_activity', 'success'],
      ['mail_message', 'success'],
    ]);

    let timeline = await odooActivities(server);
    expect(timeline.size).toBe(sim.count('mail.activity') + inDomain());
    const call1 = timeline.get(`odoo:mail.activity:${theCall!.id}`);
    expect(call1).toMatchObject({
      activityType: 'call',
      title: `Call: ${String(theCall!['summary'])} (${String(theCall!['res_name'])})`,
      entityType: 'opportunity',
      entityId: String(theCall!['res_id']),
      userId: 'app-seller',
      userName: 'Seller (app)',
      source: 'odoo',
      metadata: { odooModel: 'mail.activity', odooId: theCall!.id, deadline: theCall!['date_deadline'], assignee: odooUserName },
    });
    // Notes on partners: on an account (company) or a contact (person), never with HTML.
    const [note] = sim.searchRead('mail.message', [['model', '=', 'res.partner'], ['message_type', '=', 'comment'], ['subtype_id', '=', 2]], { fields: ['res_id'], limit: 1 });
    const partner = sim.searchRead('res.partner', [['id', '=', note!['res_id'] as number]], { fields: ['is_company'], activeTest: false })[0]!;
    expect(timeline.get(`odoo:mail.message:${note!.id}`)).toMatchObject({
      activityType: 'note',
      entityType: partner['is_company'] ? 'account' : 'contact',
      entityId: String(note!['res_id']),
    });
    for (const activity of timeline.values()) {
      expect(JSON.stringify(activity.metadata)).not.toMatch(/<\/?(p|b|div|span|ul|li)\b/);
      expect(['call', 'email', 'meeting', 'todo', 'upload_document', 'note', 'message', 'odoo_activity']).toContain(activity.activityType);
    }
    const before = timeline.size;

    // Synced again: one activity per Odoo record still.
    await runViaApi(server, { mode: 'full' });
    expect((await odooActivities(server)).size).toBe(before);

    // The deadline moves in Odoo: the same activity, updated.
    sim.write('mail.activity', [theCall!.id], { date_deadline: '2027-03-04' });
    await runViaApi(server, {});
    timeline = await odooActivities(server);
    expect(timeline.size).toBe(before);
    expect(timeline.get(`odoo:mail.activity:${theCall!.id}`)?.metadata['deadline']).toBe('2027-03-04');

    // Marked done in Odoo by the seller: the activity is gone from Odoo, stays on the timeline,
    // and the "done" message joins it, by the seller.
    const messageId = sim.markActivitiesDone([theCall!.id], { asUser: odooUid, feedback: 'They said yes' });
    expect(typeof messageId).toBe('number');
    await runViaApi(server, {});
    timeline = await odooActivities(server);
    expect(timeline.size).toBe(before + 1);
    expect(timeline.get(`odoo:mail.activity:${theCall!.id}`)?.metadata['deadline']).toBe('2027-03-04');
    expect(timeline.get(`odoo:mail.message:${String(messageId)}`)).toMatchObject({
      activityType: 'call',
      entityType: 'opportunity',
      entityId: String(theCall!['res_id']),
      userId: 'app-seller',
      metadata: { done: true },
    });
    expect((await server.store.getRecord('mail_activity', theCall!.id))?.inactiveReason).toBe('deleted');
  }, 120_000);

  it('leaves Odoo’s activity out of the sync and the timeline when SYNC_ENTITIES excludes it', async () => {
    const server = await start({ SYNC_ENTITIES: '-mail_activity,-mail_message' });
    const entries = await runViaApi(server, { mode: 'full' });
    expect(entries.map((e) => e.entity)).not.toContain('mail_activity');
    expect((await odooActivities(server)).size).toBe(0);
  }, 120_000);
});
