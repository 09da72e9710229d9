/**
 * Data that drifts without a new `write_date`, end to end: the real server against odoo-sim
 * (which applies Odoo's `ondelete` rules in the database, as PostgreSQL does) and SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '@odoo-sync/core';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.js';
import { createLogger } from '../src/runtime/logger.js';
import { startServer, type RunningServer } from '../src/runtime/composition.js';
import { call } from './helpers.js';

const ADMIN_KEY = 'drift-admin-key-0123456789abcdef';

let dir: string;
let sim: Awaited<ReturnType<typeof startOdooSim>>;
let server: RunningServer | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sync-drift-'));
  sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 5, counts: { partners: 80, opportunities: 60, invoices: 20, employees: 4, users: 4 } });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startAgainstSim(): Promise<RunningServer> {
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
  // No overlap: an incremental run reads only rows written since the last one, so nothing but
  // the reference refresh can bring the opportunity back.
  return startServer(config, {
    logger: createLogger({ level: 'silent' }),
    processMetrics: false,
    odooClient: { retries: 0 },
    reconciler: { overlapMs: 0, retry: false },
    scheduler: { runOnStart: false },
  });
}

async function run(mode: 'full' | 'incremental'): Promise<void> {
  const { done } = await (server as RunningServer).scheduler.startRun({ mode, trigger: 'manual', force: false });
  const result = await done;
  expect(result.entries.map((e) => [e.entity, e.status, e.error?.code ?? null])).toEqual(result.entries.map((e) => [e.entity, 'success', null]));
}

function idOf(value: unknown): number | null {
  return Array.isArray(value) ? (value[0] as number) : null;
}

it('deleting a partner in Odoo: after an incremental run its opportunities and contacts no longer name it', async () => {
  // A company with opportunities and contacts that nothing forbids deleting (no invoice, no user).
  const blocked = new Set<number>([
    ...sim.searchRead('account.move', [], { fields: ['partner_id'] }).map((r) => idOf(r['partner_id'])),
    ...sim.searchRead('res.users', [], { fields: ['partner_id'], activeTest: false }).map((r) => idOf(r['partner_id'])),
    ...sim.searchRead('res.company', [], { fields: ['partner_id'] }).map((r) => idOf(r['partner_id'])),
  ].filter((id): id is number => id !== null));
  const leads = sim.searchRead('crm.lead', [['type', '=', 'opportunity']], { fields: ['partner_id', 'write_date'], activeTest: false });
  const contacts = sim.searchRead('res.partner', [['is_company', '=', false]], { fields: ['parent_id'], activeTest: false });
  const companyId = [...new Set(leads.map((l) => idOf(l['partner_id'])))].find(
    (id): id is number =>
      id !== null &&
      !blocked.has(id) &&
      sim.searchRead('res.partner', [['id', '=', id]], { fields: ['is_company'] })[0]?.['is_company'] === true &&
      contacts.some((c) => idOf(c['parent_id']) === id),
  );
  expect(companyId).toBeDefined();
  const company = companyId as number;
  const leadIds = leads.filter((l) => idOf(l['partner_id']) === company).map((l) => l.id);
  const contactIds = contacts.filter((c) => idOf(c['parent_id']) === company).map((c) => c.id);
  const writeDates = sim.searchRead('crm.lead', [['id', 'in', leadIds]], { fields: ['write_date'], activeTest: false });

  server = await startAgainstSim();
  await run('full');
  const before = await call(`${server.url}/api/opportunities/${leadIds[0]}`, { key: ADMIN_KEY });
  expect(before.json.data.partnerId).toMatchObject({ id: company });

  sim.unlink('res.partner', [company]);
  // The database cleared the references without moving their write_date (ON DELETE SET NULL).
  expect(sim.searchRead('crm.lead', [['id', 'in', leadIds]], { fields: ['partner_id', 'write_date'], activeTest: false })).toEqual(
    writeDates.map((row) => ({ ...row, partner_id: false })),
  );

  await run('incremental');
  for (const id of leadIds) {
    const opportunity = await call(`${server.url}/api/opportunities/${id}`, { key: ADMIN_KEY });
    expect([id, opportunity.json.data.partnerId]).toEqual([id, null]);
  }
  const listed = await call(`${server.url}/api/opportunities?partner=${company}&include=inactive`, { key: ADMIN_KEY });
  expect(listed.status).toBe(200);
  expect(listed.json.items).toEqual([]);
  for (const id of contactIds) {
    const contact = await call(`${server.url}/api/contacts/${id}`, { key: ADMIN_KEY });
    expect([id, contact.json.data.parentId]).toEqual([id, null]);
  }
  const account = await call(`${server.url}/api/accounts/${company}`, { key: ADMIN_KEY });
  expect(account.json).toMatchObject({ isActive: false, inactiveReason: 'deleted' });
});

it('archiving 25 % of the accounts in Odoo is held back and alerted until a forced run', async () => {
  const alerts: Alert[] = [];
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
  server = await startServer(config, {
    logger: createLogger({ level: 'silent' }),
    processMetrics: false,
    odooClient: { retries: 0 },
    reconciler: { retry: false },
    scheduler: { runOnStart: false },
    notifier: { notify: async (alert) => void alerts.push(alert) },
  });
  await run('full');
  const accountStatus = async () =>
    (await call(`${(server as RunningServer).url}/api/sync/status`, { key: ADMIN_KEY })).json.entities.find((e: { entity: string }) => e.entity === 'account');
  const before = await accountStatus();
  const accounts = sim.searchRead('res.partner', [['is_company', '=', true]], { fields: ['id'] }).map((r) => r.id);
  const quarter = accounts.slice(0, Math.ceil(accounts.length / 4));
  sim.write('res.partner', quarter, { active: false });

  const { done } = await server.scheduler.startRun({ mode: 'incremental', trigger: 'manual', force: false });
  const blocked = (await done).entries.find((e) => e.entity === 'account');
  expect(blocked).toMatchObject({ status: 'failed', error: { code: 'mass_archive_blocked' } });
  expect(alerts.map((a) => [a.kind, a.details['entity'], a.details['wouldArchive']])).toEqual([['mass_archive_blocked', 'account', quarter.length]]);
  expect(await accountStatus()).toMatchObject({ archived: before.archived, active: accounts.length });

  const forced = await server.scheduler.startRun({ mode: 'incremental', trigger: 'manual', force: true });
  expect((await forced.done).entries.find((e) => e.entity === 'account')).toMatchObject({ status: 'success', counts: { archived: quarter.length } });
  expect(await accountStatus()).toMatchObject({ archived: before.archived + quarter.length, active: accounts.length - quarter.length });
});
