/**
 * Two real server processes (the `odoo-sync` CLI, run from sources with tsx) and a third
 * `odoo-sync sync --once` process, against one odoo-sim and one SQLite file.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTITY_NAMES, ENTITY_SPECS } from '@odoo-sync/core';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { call, waitFor } from './helpers.js';
import { killLeftovers, runCli, serve as serveCli, type CliRun } from './processes.js';
import { SERVER_ENTITY_NAMES } from '../src/runtime/config-values.js';

const ADMIN_KEY = 'replica-admin-key-0123456789abcdef';
const COUNTS = { partners: 80, opportunities: 40, invoices: 40, employees: 10, users: 5 };

type Sim = Awaited<ReturnType<typeof startOdooSim>>;
let dir: string;
let sim: Sim;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sync-replicas-'));
  sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 5, counts: COUNTS });
});
afterEach(async () => {
  await killLeftovers();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(): CliRun {
  return {
    cwd: dir,
    env: {
      ODOO_URL: sim.url,
      ODOO_DB: sim.db,
      ODOO_USERNAME: sim.credentials.username,
      ODOO_API_KEY: sim.credentials.apiKey,
      STORE_URL: `sqlite:${join(dir, 'shared.db')}`,
      HOST: '127.0.0.1',
      PORT: '0',
      ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      LOG_LEVEL: 'info',
    },
  };
}

/** Starts `odoo-sync serve` and resolves with its URL once it logs that it listens. */
async function serve(): Promise<{ url: string; child: ChildProcess; exit: Promise<number | null> }> {
  const server = serveCli(run());
  return { url: await server.url, child: server.child, exit: server.exit };
}

async function idle(url: string): Promise<void> {
  await waitFor(async () => {
    const status = await call(`${url}/api/sync/status`, { key: ADMIN_KEY });
    return status.status === 200 && status.json.running === false;
  }, 60_000, `${url} to be idle`);
}

async function runOnce(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const once = runCli(['sync', '--once', ...args], run());
  const code = await once.exit;
  return { code, stdout: once.stdout() };
}

it('two server processes and sync --once share one SQLite store: one run at a time, each entity synced by one process at a time; SIGTERM shuts down cleanly', async () => {
  const [a, b] = await Promise.all([serve(), serve()]);

  // `serve` syncs once at start: exactly one of the two replicas does it (the other finds the
  // lease held, or a run that just happened).
  const startupEntries = async () => {
    const logs = await call(`${a.url}/api/sync/logs?limit=1000`, { key: ADMIN_KEY });
    return (logs.json.items as Array<{ runId: string; trigger: string }>).filter((e) => e.trigger === 'startup');
  };
  await waitFor(async () => (await startupEntries()).length >= SERVER_ENTITY_NAMES.length, 60_000, 'the startup sync');
  await Promise.all([idle(a.url), idle(b.url)]);
  const startup = await startupEntries();
  expect(startup).toHaveLength(SERVER_ENTITY_NAMES.length);
  expect(new Set(startup.map((e) => e.runId)).size).toBe(1);

  // Both replicas asked at once, three times: the scheduler lease lets one run at a time.
  for (let round = 0; round < 3; round++) {
    const results = await Promise.all([
      call(`${a.url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body: { mode: 'full' } }),
      call(`${b.url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body: { mode: 'full' } }),
    ]);
    const statuses = results.map((r) => r.status);
    for (const status of statuses) expect([202, 409]).toContain(status);
    expect(statuses).toContain(202);
    for (const r of results) if (r.status === 409) expect(r.json.error.code).toBe('sync_in_progress');
    await Promise.all([idle(a.url), idle(b.url)]);
  }

  // Another process holds the contact lease (as a replica mid-run would): neither a server run
  // nor a sync --once process syncs contacts meanwhile; both sync everything else.
  const holder = SqliteStore.open(join(dir, 'shared.db'));
  try {
    expect(await holder.acquireLease('sync:entity:contact', 'test-holder', 10 * 60_000, new Date())).not.toBeNull();
    const started = await call(`${a.url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body: {} });
    expect(started.status).toBe(202);
    await idle(a.url);
    const serverRun = await call(`${a.url}/api/sync/logs?runId=${started.json.runId}`, { key: ADMIN_KEY });
    const byEntity = Object.fromEntries((serverRun.json.items as any[]).map((e) => [e.entity, e]));
    expect(byEntity['contact']).toMatchObject({ status: 'skipped', skipReason: 'Another process is syncing this entity.' });
    for (const entity of SERVER_ENTITY_NAMES.filter((e) => e !== 'contact')) expect([entity, byEntity[entity].status]).toEqual([entity, 'success']);
    const once = await runOnce(['--full']);
    expect(once.code).toBe(0);
    expect(once.stdout).toMatch(/contact\s+skipped/);
    expect(once.stdout).toMatch(/account\s+success/);
  } finally {
    await holder.releaseLease('sync:entity:contact', 'test-holder');
    await holder.close();
  }
  const after = await runOnce(['--entity', 'contact']);
  expect(after.code).toBe(0);
  expect(after.stdout).toMatch(/contact\s+success/);

  const logs = await call(`${a.url}/api/sync/logs?limit=1000`, { key: ADMIN_KEY });
  const entries = logs.json.items as Array<{ entity: string; status: string; counts: { inserted: number } }>;
  expect(entries.filter((e) => e.status === 'failed')).toEqual([]);
  for (const entity of ENTITY_NAMES) {
    const spec = ENTITY_SPECS[entity];
    const inOdoo = sim.count(spec.model, [...spec.domain] as unknown[], { activeTest: false });
    // Had two processes synced one entity at the same time on the fresh store, both would have
    // inserted its records: each record was inserted exactly once.
    const inserted = entries.filter((e) => e.entity === entity).reduce((sum, e) => sum + e.counts.inserted, 0);
    expect([entity, inserted]).toEqual([entity, inOdoo]);
  }

  a.child.kill('SIGTERM');
  b.child.kill('SIGTERM');
  expect(await a.exit).toBe(0);
  expect(await b.exit).toBe(0);
  const store = SqliteStore.open(join(dir, 'shared.db'));
  try {
    const now = new Date();
    expect(await store.getLease('sync:scheduler', now)).toBeNull();
    for (const entity of ENTITY_NAMES) expect(await store.getLease(`sync:entity:${entity}`, now)).toBeNull();
  } finally {
    await store.close();
  }
}, 120_000);
