/** Scheduled runs paused after a long failure streak: status, resume over HTTP and the CLI. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEALTH_SETTING } from '@odoo-sync/core/store-kit';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '../src/cli/commands.js';
import { call, startTestServer, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PAUSED = {
  consecutiveFailures: 30,
  failingSince: '2026-03-01T00:00:00.000Z',
  pausedAt: '2026-03-02T00:00:00.000Z',
  lastError: { code: 'odoo_auth_failed', message: 'Odoo rejected the API key.' },
};

it('the status says "paused"; a manual run still runs; an admin resumes over HTTP', async () => {
  const s = await startTestServer();
  cleanups.push(() => s.close());
  await s.store.setSetting(HEALTH_SETTING, PAUSED);
  let status = await call(`${s.url}/api/sync/status`, { key: s.userKey });
  expect(status.json).toMatchObject({ paused: true, pausedAt: PAUSED.pausedAt });

  const run = await call(`${s.url}/api/sync/run`, { method: 'POST', key: s.adminKey, body: { entity: 'account' } });
  expect(run.status).toBe(202);
  await waitFor(async () => !(await s.scheduler.status()).running, 10_000, 'the manual run');

  await s.store.setSetting(HEALTH_SETTING, PAUSED);
  expect((await call(`${s.url}/api/sync/resume`, { method: 'POST', key: s.userKey })).status).toBe(403);
  const resumed = await call(`${s.url}/api/sync/resume`, { method: 'POST', key: s.adminKey });
  expect(resumed.status).toBe(200);
  expect(resumed.json).toEqual({ resumed: true, paused: false });
  status = await call(`${s.url}/api/sync/status`, { key: s.userKey });
  expect(status.json).toMatchObject({ paused: false, pausedAt: null });
  expect((await call(`${s.url}/api/sync/resume`, { method: 'POST', key: s.adminKey })).json).toEqual({ resumed: false, paused: false });
});

it('odoo-sync sync resume ends the pause in the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-pause-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'sync.db');
  const store = SqliteStore.open(dbPath);
  await store.setSetting(HEALTH_SETTING, PAUSED);
  await store.close();
  const out: string[] = [];
  const io: CliIo = { env: { STORE_URL: `sqlite:${dbPath}`, LOG_LEVEL: 'silent' }, cwd: dir, stdout: (t) => out.push(t), stderr: () => {} };
  expect(await runCli(['sync', 'resume'], io)).toEqual({ code: EXIT.ok });
  expect(out.join('')).toContain('resumed');
  const after = SqliteStore.open(dbPath);
  try {
    expect(await after.getSetting(HEALTH_SETTING)).toMatchObject({ pausedAt: null });
  } finally {
    await after.close();
  }
  out.length = 0;
  expect(await runCli(['sync', 'resume'], io)).toEqual({ code: EXIT.ok });
  expect(out.join('')).toContain('were not paused');
  expect(await runCli(['sync', 'resume', 'now'], io)).toEqual({ code: EXIT.usage });
});
