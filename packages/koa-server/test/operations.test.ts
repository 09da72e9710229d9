import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySource } from '@odoo-sync/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '../src/cli/commands.js';
import { createLogger } from '../src/runtime/logger.js';
import { call, seedSource } from './helpers.js';
import { startSmtp } from './smtp.js';

const BOOTSTRAP = 'bootstrap-admin-key-0123456789';
const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts `odoo-sync serve` with `env`; returns it and the JSON log lines it wrote. */
async function serve(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-ops-'));
  dirs.push(dir);
  const logs: string[] = [];
  const source = new MemorySource();
  seedSource(source);
  const fullEnv = { STORE_URL: `sqlite:${join(dir, 'sync.db')}`, PORT: '0', LOG_LEVEL: 'info', ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: BOOTSTRAP, ...env };
  const io: CliIo = { env: fullEnv, cwd: dir, stdout: () => {}, stderr: () => {} };
  const outcome = await runCli(['serve'], io, {
    source,
    logger: createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } }),
    processMetrics: false,
    scheduler: { runOnStart: false },
  });
  if (!('running' in outcome)) throw new Error(`serve exited with ${outcome.code}`);
  closers.push(() => outcome.running.close());
  return { running: outcome.running, logs, env: fullEnv, dir, source };
}

describe('SYNC_ENTITIES', () => {
  it('leaves entities out of status, manual runs and sync --once', async () => {
    const { running, env, dir, source } = await serve({ SYNC_ENTITIES: '-invoice,-employee' });
    const status = await call(`${running.url}/api/sync/status`, { key: BOOTSTRAP });
    expect(status.status).toBe(200);
    expect((status.json.entities as Array<{ entity: string }>).map((e) => e.entity)).toEqual(['odoo_user', 'account', 'contact', 'opportunity', 'mail_activity', 'mail_message']);

    const refused = await call(`${running.url}/api/sync/run`, { method: 'POST', key: BOOTSTRAP, body: { entity: 'invoice' } });
    expect(refused.status).toBe(422);
    expect(refused.json.error.message).toContain('The entity invoice is not synced by this server (SYNC_ENTITIES).');
    const all = await call(`${running.url}/api/sync/run`, { method: 'POST', key: BOOTSTRAP, body: { mode: 'full' } });
    expect(all.status).toBe(202);
    expect(all.json.entities).toEqual(['odoo_user', 'account', 'contact', 'opportunity', 'mail_activity', 'mail_message']);
    await running.close();

    const err: string[] = [];
    const out: string[] = [];
    const io: CliIo = { env, cwd: dir, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
    expect(await runCli(['sync', '--once', '--entity', 'employee'], io, { source })).toEqual({ code: EXIT.usage });
    expect(err.join('')).toContain('the entity "employee" is not synced here (SYNC_ENTITIES=odoo_user,account,contact,opportunity,mail_activity,mail_message)');
    expect(await runCli(['sync', '--once', '--full'], io, { source })).toEqual({ code: EXIT.ok });
    expect(out.join('')).not.toMatch(/^(invoice|employee)\s/m);
    expect(out.join('')).toMatch(/^contact\s+success/m);
  });
});

describe('the bootstrap admin and alerts', () => {
  it('warns at start that admin@odoo-sync.local gets no alerts, and not once a real address is set', async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const smtpEnv = { SMTP_URL: smtp.url, ALERT_FROM: 'alerts@example.com' };
    const placeholder = await serve(smtpEnv);
    expect(placeholder.logs.join('')).toContain('the bootstrap admin admin@odoo-sync.local gets no alert e-mails: set ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL');

    const real = await serve({ ...smtpEnv, ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com' });
    expect(real.logs.join('')).not.toContain('gets no alert e-mails');
    const users = await call(`${real.running.url}/api/admin/users`, { key: BOOTSTRAP });
    expect((users.json.items as Array<{ email: string }>).map((u) => u.email)).toEqual(['ops@example.com']);
  });
});
