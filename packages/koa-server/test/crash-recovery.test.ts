/**
 * A server process killed (SIGKILL) in the middle of a sync, and restarted on the same SQLite
 * file: the unfinished run is resumed at once, and leases left by the dead process block
 * nothing. Real processes (the `odoo-sync` CLI run from sources with tsx), a real odoo-sim.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLeaseOwner, HEALTH_SETTING, SCHEDULER_LEASE } from '@odoo-sync/core/store-kit';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { call, waitFor } from './helpers.js';
import { killLeftovers, serve as serveCli, type CliProcess } from './processes.js';
import { SERVER_ENTITY_NAMES } from '../src/runtime/config-values.js';

const ADMIN_KEY = 'crash-admin-key-0123456789abcdef';
const COUNTS = { partners: 60, opportunities: 30, invoices: 30, employees: 8, users: 4 };

type Sim = Awaited<ReturnType<typeof startOdooSim>>;
let dir: string;
let sim: Sim;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sync-crash-'));
  sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 7, counts: COUNTS });
});
afterEach(async () => {
  await killLeftovers();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const dbPath = () => join(dir, 'shared.db');

function serve(): CliProcess & { url: Promise<string> } {
  return serveCli({
    cwd: dir,
    env: {
      ODOO_URL: sim.url,
      ODOO_DB: sim.db,
      ODOO_USERNAME: sim.credentials.username,
      ODOO_API_KEY: sim.credentials.apiKey,
      STORE_URL: `sqlite:${dbPath()}`,
      HOST: '127.0.0.1',
      PORT: '0',
      ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      LOG_LEVEL: 'info',
    },
  });
}

async function withStore<T>(fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = SqliteStore.open(dbPath());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The pid of a process that has exited (so no process has it now, barring reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

it('after SIGKILL mid-run, a restarted server resumes the run at once and is not blocked by the dead lease', async () => {
  // Slow answers, so that the startup run is still going when the process is killed.
  sim.faults.latency(150);
  const first = serve();
  await first.url;
  expect(first.child.pid).toBeDefined();
  const killed = await waitFor(
    () =>
      withStore(async (store) => {
        const lease = await store.getLease(SCHEDULER_LEASE, new Date());
        const health = (await store.getSetting(HEALTH_SETTING)) as { inProgress?: { runId: string } | null } | undefined;
        return lease && health?.inProgress ? { lease, runId: health.inProgress.runId } : undefined;
      }),
    60_000,
    'the startup run to be under way',
  );
  first.child.kill('SIGKILL');
  await first.exit;
  // The lease names this host and the killed process.
  expect(killed.lease.owner.endsWith(`@${hostname()}#${first.child.pid}`)).toBe(true);
  sim.faults.reset();

  const second = serve();
  const url = await second.url;
  await waitFor(
    async () => {
      const status = await call(`${url}/api/sync/status`, { key: ADMIN_KEY });
      return status.json.running === false && status.json.lastSuccessAt !== null;
    },
    60_000,
    'the resumed run to finish',
  );
  expect(second.lines.some((l) => l['msg'] === 'a sync run never finished (its process is gone); resuming it now')).toBe(true);
  const logs = await call(`${url}/api/sync/logs?limit=1000`, { key: ADMIN_KEY });
  const resumed = (logs.json.items as Array<{ runId: string; trigger: string; status: string; startedAt: string }>).filter(
    (e) => e.runId !== killed.runId,
  );
  expect(resumed.map((e) => e.status).sort()).toEqual(SERVER_ENTITY_NAMES.map(() => 'success'));
  expect(new Set(resumed.map((e) => e.trigger))).toEqual(new Set(['startup']));
  // It started while the dead process's lease was still unexpired: taken over, not waited out.
  for (const entry of resumed) expect(Date.parse(entry.startedAt)).toBeLessThan(Date.parse(killed.lease.expiresAt));
  const status = await call(`${url}/api/sync/status`, { key: ADMIN_KEY });
  expect(status.json).toMatchObject({ healthy: true, consecutiveFailures: 0, running: false });

  // A manual run is not refused because of leases a dead process left (scheduler and entity
  // leases), and is refused while a live process holds the scheduler lease.
  const dead = formatLeaseOwner({ host: hostname(), pid: deadPid(), id: 'killed' });
  await withStore(async (store) => {
    const now = new Date();
    expect(await store.acquireLease(SCHEDULER_LEASE, dead, 10 * 60_000, now)).not.toBeNull();
    expect(await store.acquireLease('sync:entity:contact', dead, 10 * 60_000, now)).not.toBeNull();
  });
  const started = await call(`${url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body: {} });
  expect(started.status).toBe(202);
  await waitFor(async () => (await call(`${url}/api/sync/status`, { key: ADMIN_KEY })).json.running === false, 60_000, 'the manual run');
  const manual = await call(`${url}/api/sync/logs?runId=${started.json.runId}`, { key: ADMIN_KEY });
  expect((manual.json.items as Array<{ entity: string; status: string }>).find((e) => e.entity === 'contact')?.status).toBe('success');

  const alive = formatLeaseOwner({ host: hostname(), pid: process.pid, id: 'test-holder' });
  await withStore((store) => store.acquireLease(SCHEDULER_LEASE, alive, 10 * 60_000, new Date()));
  const refused = await call(`${url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body: {} });
  expect(refused.status).toBe(409);
  await withStore((store) => store.releaseLease(SCHEDULER_LEASE, alive));

  second.child.kill('SIGTERM');
  await second.exit;
}, 180_000);
