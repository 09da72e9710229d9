import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySource } from '@odoo-sync/core';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/auth/api-keys.js';
import { EXIT, runCli, type CliIo } from '../src/cli/commands.js';
import { createLogger } from '../src/runtime/logger.js';
import { call, seedSource } from './helpers.js';

const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-apikeys-'));
  dirs.push(dir);
  return { dir, env: { STORE_URL: `sqlite:${join(dir, 'sync.db')}`, LOG_LEVEL: 'silent', PORT: '0', ...env } };
}

/** Runs one CLI command and returns its exit code and output. */
async function cli(env: Record<string, string>, cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
  const outcome = await runCli(argv, io);
  if (!('code' in outcome)) throw new Error('the command left a server running');
  return { code: outcome.code, out: out.join(''), err: err.join('') };
}

async function createKey(env: Record<string, string>, cwd: string, email: string, role: 'admin' | 'user') {
  const created = await cli(env, cwd, 'apikey', 'create', '--email', email, '--role', role);
  expect(created.code).toBe(EXIT.ok);
  const key = created.out.trim();
  const id = /API key (\S+) created/.exec(created.err)?.[1];
  expect(id).toBeTruthy();
  return { key, id: id! };
}

describe('odoo-sync apikey list / revoke', () => {
  it('lists every key with its owner and dates, never the key or its hash', async () => {
    const { dir, env } = workspace();
    const admin = await createKey(env, dir, 'ops@example.com', 'admin');
    const user = await createKey(env, dir, 'ana@example.com', 'user');

    const table = await cli(env, dir, 'apikey', 'list');
    expect(table.code).toBe(EXIT.ok);
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+OWNER\s+ROLE\s+LABEL\s+CREATED\s+LAST USED\s+STATUS$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${admin.id}\\s+ops@example.com\\s+admin\\s+cli\\s+\\S+\\s+never\\s+active$`));
    expect(lines[2]).toMatch(new RegExp(`^${user.id}\\s+ana@example.com\\s+user\\s+cli\\s+\\S+\\s+never\\s+active$`));

    const json = await cli(env, dir, 'apikey', 'list', '--json');
    const items = JSON.parse(json.out) as Array<Record<string, unknown>>;
    expect(items.map((k) => [k['id'], k['email'], k['revokedAt']])).toEqual([
      [admin.id, 'ops@example.com', null],
      [user.id, 'ana@example.com', null],
    ]);
    for (const text of [table.out, json.out]) {
      for (const secret of [admin.key, user.key, hashApiKey(admin.key), hashApiKey(user.key)]) expect(text).not.toContain(secret);
      expect(text).not.toContain('keyHash');
    }
  });

  it('revokes a key at once; again changes nothing; an unknown id exits 1 and no id is a usage error', async () => {
    const { dir, env } = workspace();
    await createKey(env, dir, 'ops@example.com', 'admin');
    const user = await createKey(env, dir, 'ana@example.com', 'user');

    const revoked = await cli(env, dir, 'apikey', 'revoke', user.id);
    expect(revoked.code).toBe(EXIT.ok);
    expect(revoked.out).toContain(`API key ${user.id} of ana@example.com (cli) revoked`);
    const store = new SqliteStore({ path: join(dir, 'sync.db') });
    try {
      expect(await store.findApiKeyByHash(hashApiKey(user.key))).toBeNull();
    } finally {
      await store.close();
    }
    const again = await cli(env, dir, 'apikey', 'revoke', user.id);
    expect(again.code).toBe(EXIT.ok);
    expect(again.out).toContain('was already revoked at');
    expect((await cli(env, dir, 'apikey', 'list')).out).toMatch(new RegExp(`^${user.id}\\s.*revoked \\d{4}-`, 'm'));

    const unknown = await cli(env, dir, 'apikey', 'revoke', 'no-such-key');
    expect(unknown.code).toBe(EXIT.failure);
    expect(unknown.err).toContain('not_found: No API key with id no-such-key.');
    expect((await cli(env, dir, 'apikey', 'revoke')).code).toBe(EXIT.usage);
    expect((await cli(env, dir, 'apikey', 'list', '--all')).code).toBe(EXIT.usage);
    expect((await cli(env, dir, 'apikey', 'rotate')).code).toBe(EXIT.usage);
  });
});

describe('GET /api/admin/api-keys, DELETE /api/admin/api-keys/:id', () => {
  it('lets admins list and revoke keys over HTTP, documented in OpenAPI, never showing secrets', async () => {
    const bootstrap = 'bootstrap-admin-key-0123456789';
    const { dir, env } = workspace({ ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: bootstrap });
    const source = new MemorySource();
    seedSource(source);
    const outcome = await runCli(['serve'], { env, cwd: dir, stdout: () => {}, stderr: () => {} }, {
      source,
      logger: createLogger({ level: 'silent' }),
      processMetrics: false,
    });
    if (!('running' in outcome)) throw new Error(`serve exited with ${outcome.code}`);
    const { running } = outcome;
    closers.push(() => running.close());
    const user = await createKey(env, dir, 'ana@example.com', 'user');

    const list = await call(`${running.url}/api/admin/api-keys`, { key: bootstrap });
    expect(list.status).toBe(200);
    const items = list.json.items as Array<Record<string, unknown>>;
    expect(items.map((k) => [k['label'], k['role'], k['revokedAt']])).toEqual([
      ['bootstrap', 'admin', null],
      ['cli', 'user', null],
    ]);
    expect(items[1]!['id']).toBe(user.id);
    for (const secret of [bootstrap, user.key, hashApiKey(bootstrap), hashApiKey(user.key)]) expect(list.text).not.toContain(secret);

    // Users are not admins.
    expect((await call(`${running.url}/api/admin/api-keys`, { key: user.key })).status).toBe(403);
    expect((await call(`${running.url}/api/admin/api-keys/${user.id}`, { method: 'DELETE', key: user.key })).status).toBe(403);

    const revoked = await call(`${running.url}/api/admin/api-keys/${user.id}`, { method: 'DELETE', key: bootstrap });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: user.id, email: 'ana@example.com', revokedAt: expect.stringMatching(/^\d{4}-/) });
    expect((await call(`${running.url}/api/sync/status`, { key: user.key })).status).toBe(401);
    const again = await call(`${running.url}/api/admin/api-keys/${user.id}`, { method: 'DELETE', key: bootstrap });
    expect(again.json.revokedAt).toBe(revoked.json.revokedAt);

    const missing = await call(`${running.url}/api/admin/api-keys/no-such-key`, { method: 'DELETE', key: bootstrap });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');

    const openapi = await call(`${running.url}/api/openapi.json`);
    expect(openapi.json.paths['/api/admin/api-keys'].get.operationId).toBe('listApiKeys');
    expect(openapi.json.paths['/api/admin/api-keys/{id}'].delete.operationId).toBe('revokeApiKey');
  });
});
