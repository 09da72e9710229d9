/**
 * The CRM write routes end to end: the real server (startServer) against odoo-sim over HTTP and
 * a temporary SQLite file. Each write goes to Odoo, is read back into the store at once, and
 * is recorded in the activity timeline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@odoo-sync/core';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOOTSTRAP_ADMIN_EMAIL, issueApiKey } from '../src/auth/api-keys.js';
import { requestFingerprint, scopedIdempotencyKey } from '../src/http/idempotency.js';
import { loadConfig } from '../src/runtime/config.js';
import { createLogger } from '../src/runtime/logger.js';
import { startServer, type RunningServer } from '../src/runtime/composition.js';
import { call, waitFor } from './helpers.js';

const ADMIN_KEY = 'crm-admin-key-0123456789abcdef';
const COUNTS = { partners: 30, opportunities: 20, invoices: 20, employees: 4, users: 4 };

type Sim = Awaited<ReturnType<typeof startOdooSim>>;

let dir: string;
let sim: Sim;
let server: RunningServer;
/** The Odoo user the admin is linked to. */
let salesUserId: number;
let adminUserId: string;

/** Odoo's `write_date` of a row, as the API gives it (ISO-8601 UTC). */
function odooWriteDate(model: string, id: number): string {
  const [row] = sim.searchRead(model, [['id', '=', id]], { fields: ['write_date'], activeTest: false });
  return new Date(`${String(row?.['write_date']).replace(' ', 'T')}Z`).toISOString();
}

function odooRow(model: string, id: number, fields: string[]): Record<string, unknown> {
  return sim.searchRead(model, [['id', '=', id]], { fields, activeTest: false })[0] as Record<string, unknown>;
}

async function activitiesOf(entityType: string, entityId: number) {
  return (await server.store.queryActivities({ entityType, entityId: String(entityId) })).items;
}

/** A simulator of Odoo `version` (XML-RPC up to 18, JSON-2 from 19), the server over it, a first sync, the admin linked. */
async function setup(version = '17.0'): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sync-crm-'));
  sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 21, counts: COUNTS, version });
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
    },
    { envFile: false, cwd: dir },
  );
  server = await startServer(config, { logger: createLogger({ level: 'silent' }), processMetrics: false, odooClient: { retries: 0 } });
  const { done } = await server.scheduler.startRun({ mode: 'full', trigger: 'manual', force: false });
  expect((await done).status).toBe('success');
  const internal = sim.searchRead('res.users', [['share', '=', false], ['id', '!=', 2]], { fields: ['name'], order: 'id' });
  salesUserId = internal[0]!.id;
  const admin = await server.store.getUserByEmail(BOOTSTRAP_ADMIN_EMAIL);
  adminUserId = admin!.id;
  await server.store.updateUser(
    adminUserId,
    { name: 'Ana Admin', odooLink: { odooUserId: salesUserId, employeeId: null, strategy: 'manual', linkedAt: new Date().toISOString(), linkedBy: adminUserId } },
    new Date(),
  );
}

afterEach(async () => {
  await server.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CRM writes through to Odoo', () => {
  beforeEach(() => setup(), 60_000);

  it('POST /api/opportunities creates it in Odoo with the caller as salesperson; the answer and the next GET show Odoo’s write_date; recorded', async () => {
    const account = sim.searchRead('res.partner', [['is_company', '=', true]], { fields: ['name'], limit: 1 })[0]!;
    const tag = sim.create('crm.tag', { name: 'Cloud' });
    const res = await call(`${server.url}/api/opportunities`, {
      method: 'POST',
      key: ADMIN_KEY,
      body: { name: 'Cloud Migration Project', accountId: account.id, expectedRevenue: 48000, probability: 20, tagIds: [tag], dateDeadline: '2027-03-31' },
    });
    expect(res.status).toBe(201);
    const id = res.json.odooId as number;
    expect(res.json).toMatchObject({ reconciled: true, note: null, record: { entity: 'opportunity', odooId: id, isActive: true } });
    expect(res.json.record.data).toMatchObject({
      name: 'Cloud Migration Project',
      type: 'opportunity',
      userId: { id: salesUserId },
      partnerId: { id: account.id, name: account['name'] },
      expectedRevenue: 48000,
      probability: 20,
      dateDeadline: '2027-03-31',
    });
    expect(odooRow('crm.lead', id, ['user_id', 'tag_ids', 'type'])).toMatchObject({ user_id: [salesUserId, expect.any(String)], tag_ids: [tag], type: 'opportunity' });
    expect(res.json.record.odooWriteDate).toBe(odooWriteDate('crm.lead', id));
    const read = await call(`${server.url}/api/opportunities/${id}`, { key: ADMIN_KEY });
    expect(read.status).toBe(200);
    expect(read.json.odooWriteDate).toBe(odooWriteDate('crm.lead', id));
    expect(read.json.data.name).toBe('Cloud Migration Project');
    const [activity] = await activitiesOf('opportunity', id);
    expect(activity).toMatchObject({
      activityType: 'opportunity_created',
      title: 'Created opportunity: Cloud Migration Project',
      entityType: 'opportunity',
      entityId: String(id),
      userId: adminUserId,
      userName: 'Ana Admin',
      source: 'app',
    });
  });

  it('an explicit salesperson wins over the default; PATCH records before/after and a stage change as its own activity', async () => {
    const stages = sim.searchRead('crm.stage', [['is_won', '=', false]], { fields: ['name'], order: 'sequence, id' });
    const created = await call(`${server.url}/api/opportunities`, {
      method: 'POST',
      key: ADMIN_KEY,
      body: { name: 'Desks for Globex', userId: 2, stageId: stages[0]!.id, probability: 10 },
    });
    expect(created.status).toBe(201);
    expect(created.json.record.data.userId.id).toBe(2);
    const id = created.json.odooId as number;
    const patched = await call(`${server.url}/api/opportunities/${id}`, { method: 'PATCH', key: ADMIN_KEY, body: { stageId: stages[1]!.id, probability: 45 } });
    expect(patched.status).toBe(200);
    expect(patched.json.record.data).toMatchObject({ stageId: { id: stages[1]!.id }, probability: 45 });
    expect(patched.json.record.odooWriteDate).toBe(odooWriteDate('crm.lead', id));
    const read = await call(`${server.url}/api/opportunities/${id}`, { key: ADMIN_KEY });
    expect(read.json.data.probability).toBe(45);
    const activities = await activitiesOf('opportunity', id);
    const updated = activities.find((a) => a.activityType === 'opportunity_updated');
    expect(updated?.metadata).toEqual({
      before: { stageId: { id: stages[0]!.id, name: stages[0]!['name'] }, probability: 10 },
      after: { stageId: { id: stages[1]!.id, name: stages[1]!['name'] }, probability: 45 },
    });
    const stageChanged = activities.find((a) => a.activityType === 'opportunity_stage_changed');
    expect(stageChanged?.title).toBe(`Changed stage of opportunity: Desks for Globex (${String(stages[0]!['name'])} → ${String(stages[1]!['name'])})`);
    // No stage change: no stage activity.
    await call(`${server.url}/api/opportunities/${id}`, { method: 'PATCH', key: ADMIN_KEY, body: { name: 'Desks for Globex (2)' } });
    expect((await activitiesOf('opportunity', id)).filter((a) => a.activityType === 'opportunity_stage_changed')).toHaveLength(1);
  });

  it('won and lost call Odoo’s own methods; the store follows (won stage, probability 100; archived with the reason)', async () => {
    const created = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body: { name: 'Fleet renewal', probability: 30 } });
    const id = created.json.odooId as number;
    const lost = await call(`${server.url}/api/opportunities/${id}/lost`, { method: 'POST', key: ADMIN_KEY, body: { reason: 'Went with a competitor' } });
    expect(lost.status).toBe(200);
    expect(lost.json.record).toMatchObject({ isActive: false, inactiveReason: 'archived', data: { probability: 0, lostReasonId: { name: 'Went with a competitor' } } });
    // The same text again finds the reason instead of making a second one.
    const reasons = sim.searchRead('crm.lost.reason', [['name', '=ilike', 'went with a competitor']], { fields: ['name'] });
    expect(reasons).toHaveLength(1);
    const won = await call(`${server.url}/api/opportunities/${id}/won`, { method: 'POST', key: ADMIN_KEY });
    expect(won.status).toBe(200);
    const wonStage = odooRow('crm.lead', id, ['stage_id'])['stage_id'] as [number, string];
    expect(odooRow('crm.stage', wonStage[0], ['is_won'])['is_won']).toBe(true);
    expect(won.json.record).toMatchObject({ isActive: true, inactiveReason: null, data: { probability: 100, lostReasonId: null, stageId: { id: wonStage[0] } } });
    const types = (await activitiesOf('opportunity', id)).map((a) => a.activityType);
    expect(types).toEqual(['opportunity_won', 'opportunity_lost', 'opportunity_created']);
  });

  it('accounts and contacts: created as res.partner (company / person with its account), changed, and visible on the next GET', async () => {
    const account = await call(`${server.url}/api/accounts`, { method: 'POST', key: ADMIN_KEY, body: { name: 'Initech', city: 'Austin', email: 'hello@initech.example' } });
    expect(account.status).toBe(201);
    const accountId = account.json.odooId as number;
    expect(odooRow('res.partner', accountId, ['is_company'])['is_company']).toBe(true);
    const contact = await call(`${server.url}/api/contacts`, { method: 'POST', key: ADMIN_KEY, body: { name: 'Peter Gibbons', email: 'peter@initech.example', accountId } });
    expect(contact.status).toBe(201);
    const contactId = contact.json.odooId as number;
    expect(contact.json.record.data).toMatchObject({ name: 'Peter Gibbons', parentId: { id: accountId, name: 'Initech' }, commercialPartnerId: { id: accountId } });
    const patched = await call(`${server.url}/api/contacts/${contactId}`, { method: 'PATCH', key: ADMIN_KEY, body: { email: null, function: 'Engineer' } });
    expect(patched.status).toBe(200);
    const read = await call(`${server.url}/api/contacts/${contactId}`, { key: ADMIN_KEY });
    expect(read.json.data).toMatchObject({ email: null, function: 'Engineer' });
    expect(read.json.odooWriteDate).toBe(odooWriteDate('res.partner', contactId));
    const renamed = await call(`${server.url}/api/accounts/${accountId}`, { method: 'PATCH', key: ADMIN_KEY, body: { name: 'Initech Inc.' } });
    expect(renamed.json.record.data.name).toBe('Initech Inc.');
    expect((await activitiesOf('contact', contactId)).map((a) => [a.activityType, a.metadata])).toEqual([
      ['contact_updated', { before: { email: 'peter@initech.example', function: null }, after: { email: null, function: 'Engineer' } }],
      ['contact_created', { fields: { name: 'Peter Gibbons', email: 'peter@initech.example', accountId } }],
    ]);
    expect((await activitiesOf('account', accountId)).map((a) => a.title)).toEqual(['Updated account: Initech Inc.', 'Created account: Initech']);
    // A PATCH of an account id that is a contact is a 404, and nothing is written.
    const wrong = await call(`${server.url}/api/accounts/${contactId}`, { method: 'PATCH', key: ADMIN_KEY, body: { name: 'Nope' } });
    expect(wrong.status).toBe(404);
    expect(odooRow('res.partner', contactId, ['name'])['name']).toBe('Peter Gibbons');
  });

  it('refuses callers who are not linked to an Odoo user (403 saying how to link) and writes nothing', async () => {
    const user = await issueApiKey(server.store, { email: 'bob@example.com', role: 'user', clock: systemClock });
    const before = sim.count('crm.lead', [], { activeTest: false });
    const res = await call(`${server.url}/api/opportunities`, { method: 'POST', key: user.key, body: { name: 'Should not exist' } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('forbidden');
    expect(res.json.error.message).toContain('/api/auth/relink-odoo');
    expect(sim.count('crm.lead', [], { activeTest: false })).toBe(before);
    const patch = await call(`${server.url}/api/accounts/1`, { method: 'PATCH', key: user.key, body: { name: 'x' } });
    expect(patch.status).toBe(403);
    // Refused before the body is read: an unlinked caller learns how to link, not which field is wrong.
    const invalid = await call(`${server.url}/api/opportunities`, { method: 'POST', key: user.key, body: { probability: 500 } });
    expect([invalid.status, invalid.json.error.code]).toEqual([403, 'forbidden']);
  });

  it('answers an Odoo refusal with the typed error and Odoo’s message, never a 500; bad bodies are 422', async () => {
    const res = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body: { name: 'Bad stage', stageId: 999_999 } });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('odoo_validation_failed');
    expect(res.json.error.message).toContain('The operation cannot be completed');
    const missing = await call(`${server.url}/api/opportunities/999999/won`, { method: 'POST', key: ADMIN_KEY });
    expect(missing.status).toBe(404);
    const bad = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body: { name: '', probability: 120, unknown: 1 } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body', 'body.name', 'body.probability']);
  });

  it('Idempotency-Key: a retried POST gets the first answer and writes once; another body is 422; a running first request is 409', async () => {
    const body = { name: 'Retry-safe deal', probability: 15 };
    const headers = { 'Idempotency-Key': 'b1c2d3e4-0000-4000-8000-000000000001' };
    const first = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body, headers });
    const second = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(sim.count('crm.lead', [['name', '=', 'Retry-safe deal']], { activeTest: false })).toBe(1);
    expect((await activitiesOf('opportunity', first.json.odooId as number)).map((a) => a.activityType)).toEqual(['opportunity_created']);
    const other = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body: { ...body, probability: 16 }, headers });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('idempotency_key_reused');
    // Another caller's key of the same value is theirs alone.
    const user = await issueApiKey(server.store, { email: 'carol@example.com', role: 'user', clock: systemClock });
    const carol = (await server.store.getUserByEmail('carol@example.com'))!;
    await server.store.updateUser(carol.id, { odooLink: { odooUserId: 2, employeeId: null, strategy: 'manual', linkedAt: new Date().toISOString(), linkedBy: adminUserId } }, new Date());
    const theirs = await call(`${server.url}/api/opportunities`, { method: 'POST', key: user.key, body, headers });
    expect(theirs.status).toBe(201);
    expect(theirs.json.odooId).not.toBe(first.json.odooId);
    // A first request still running (claimed, not answered yet): a concurrent retry gets 409 and nothing is written.
    const running = 'still-running-key';
    const now = new Date();
    await server.store.claimIdempotencyKey(
      {
        key: scopedIdempotencyKey(adminUserId, running),
        fingerprint: requestFingerprint('POST', '/api/opportunities', { name: 'In flight', probability: 5 }),
        expiresAt: new Date(now.getTime() + 86_400_000),
        pendingUntil: new Date(now.getTime() + 600_000),
      },
      now,
    );
    const busy = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body: { name: 'In flight', probability: 5 }, headers: { 'Idempotency-Key': running } });
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe('idempotency_key_in_use');
    expect(sim.count('crm.lead', [['name', '=', 'In flight']], { activeTest: false })).toBe(0);
    // A refused request releases its key: the retry runs again (and is refused again, not replayed).
    const refusedHeaders = { 'Idempotency-Key': 'refused-once' };
    const refused = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body: { name: 'Bad', stageId: 999_999 }, headers: refusedHeaders });
    const again = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body: { name: 'Bad', stageId: 999_999 }, headers: refusedHeaders });
    expect([refused.status, again.status]).toEqual([422, 422]);
    expect(again.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('GET /api/accounts/:odooId/360: the account with bounded contacts, open opportunities, newest invoices and activities; the view is recorded', async () => {
    const accountId = sim.create('res.partner', { name: 'Big Account', is_company: true });
    for (let i = 0; i < 55; i++) sim.create('res.partner', { name: `Person ${i}`, is_company: false, parent_id: accountId });
    const stage = sim.searchRead('crm.stage', [['is_won', '=', false]], { fields: ['name'], limit: 1 })[0]!;
    const open = sim.create('crm.lead', { name: 'Open deal', type: 'opportunity', partner_id: accountId, probability: 50, stage_id: stage.id });
    sim.create('crm.lead', { name: 'Won deal', type: 'opportunity', partner_id: accountId, probability: 100, stage_id: stage.id });
    const invoices: number[] = [];
    for (let i = 0; i < 12; i++) {
      invoices.push(sim.create('account.move', { name: `INV/BIG/${i}`, move_type: 'out_invoice', partner_id: accountId, amount_total: 100 + i }));
    }
    const { done } = await server.scheduler.startRun({ mode: 'full', trigger: 'manual', force: false });
    expect((await done).status).toBe('success');
    await call(`${server.url}/api/accounts/${accountId}`, { method: 'PATCH', key: ADMIN_KEY, body: { city: 'Ghent' } });
    const res = await call(`${server.url}/api/accounts/${accountId}/360`, { key: ADMIN_KEY });
    expect(res.status).toBe(200);
    expect(res.json.account).toMatchObject({ odooId: accountId, data: { name: 'Big Account', city: 'Ghent' } });
    expect(res.json.contacts.items).toHaveLength(50);
    expect(res.json.contacts.more).toBe(true);
    expect(res.json.openOpportunities).toEqual({ items: [expect.objectContaining({ odooId: open })], more: false });
    expect(res.json.recentInvoices.items.map((r: { odooId: number }) => r.odooId)).toEqual(invoices.slice(-10).reverse());
    expect(res.json.recentInvoices.more).toBe(true);
    expect(res.json.recentActivities.items.map((a: { activityType: string }) => a.activityType)).toEqual(['account_updated']);
    const viewed = await waitFor(async () => (await server.store.queryActivities({ activityType: 'account_viewed_360' })).items[0], 20_000, 'the 360 view to be recorded');
    expect(viewed).toMatchObject({ title: 'Viewed account 360: Big Account', entityType: 'account', entityId: String(accountId), userId: adminUserId });
    expect((await call(`${server.url}/api/accounts/999999/360`, { key: ADMIN_KEY })).status).toBe(404);
  });
});

describe('CRM writes over JSON-2 (Odoo 19)', () => {
  beforeEach(() => setup('19.0'), 60_000);

  it('creates, marks lost with a reason id, then won, through the JSON-2 API', async () => {
    const reason = sim.searchRead('crm.lost.reason', [], { fields: ['name'], limit: 1 })[0]!;
    const created = await call(`${server.url}/api/opportunities`, { method: 'POST', key: ADMIN_KEY, body: { name: 'JSON-2 deal', probability: 35 } });
    expect(created.status).toBe(201);
    const id = created.json.odooId as number;
    expect(created.json.record.data.userId.id).toBe(salesUserId);
    const lost = await call(`${server.url}/api/opportunities/${id}/lost`, { method: 'POST', key: ADMIN_KEY, body: { reason: reason.id } });
    expect(lost.json.record).toMatchObject({ inactiveReason: 'archived', data: { probability: 0, lostReasonId: { id: reason.id } } });
    const won = await call(`${server.url}/api/opportunities/${id}/won`, { method: 'POST', key: ADMIN_KEY, body: {} });
    expect(won.json.record).toMatchObject({ isActive: true, data: { probability: 100, lostReasonId: null } });
    expect(won.json.record.odooWriteDate).toBe(odooWriteDate('crm.lead', id));
    const routes = sim.stats().byRoute;
    expect(routes['/json/2/crm.lead/action_set_won']).toBe(1);
    expect(routes['/json/2/crm.lead/action_set_lost']).toBe(1);
    expect(routes['/json/2/crm.lead/create']).toBe(1);
  });
});
