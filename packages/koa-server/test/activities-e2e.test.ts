/**
 * The activity timeline end to end: the real server (startServer) on a temporary SQLite file,
 * syncing from odoo-sim, people signing in through FakeEntraId; every user action is done over
 * HTTP and read back through `GET /api/activities` and its CSV export.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from '@odoo-sync/core';
import Database from 'better-sqlite3';
import { generateTokenKey } from '@odoo-sync/ms365-auth';
import { FakeEntraId } from '@odoo-sync/ms365-auth/testing';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.js';
import { createLogger } from '../src/runtime/logger.js';
import { startServer, type RunningServer } from '../src/runtime/composition.js';
import { browse, CookieJar, signIn } from './browser.js';
import { call, waitFor } from './helpers.js';

const ADMIN_KEY = 'activities-admin-key-0123456789abcdef';
const COOKIE_KEY = 'activities-session-secret-0123456789-abcdefghij';

type Sim = Awaited<ReturnType<typeof startOdooSim>>;

let dir: string;
let sim: Sim;
let entra: FakeEntraId;
let running: RunningServer;
let url: string;
let adminId: string;

const admin = { key: ADMIN_KEY };
const activities = async (query: string, key = ADMIN_KEY) => call(`${url}/api/activities${query}`, { key });
const all = async (query = '') => (await activities(`?limit=200${query}`)).json.items as Activity[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-sync-activities-'));
  sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed: 5, counts: { partners: 20, opportunities: 10, invoices: 5, employees: 4, users: 4 } });
  entra = await FakeEntraId.start();
  const config = loadConfig(
    {
      ODOO_URL: sim.url,
      ODOO_DB: sim.db,
      ODOO_USERNAME: sim.credentials.username,
      ODOO_API_KEY: sim.credentials.apiKey,
      STORE_URL: `sqlite:${join(dir, 'sync.db')}`,
      PORT: '0',
      LOG_LEVEL: 'silent',
      ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      MS365_CLIENT_ID: entra.clientId,
      MS365_CLIENT_SECRET: entra.clientSecret,
      MS365_TENANT_ID: entra.tenantId,
      MS365_REDIRECT_URI: entra.redirectUris[0] ?? '',
      TOKEN_KEYS: `k1:${generateTokenKey()}`,
      SESSION_SECRET: COOKIE_KEY,
      LINK_AUTOMATICALLY: 'false',
    },
    { envFile: false, cwd: dir },
  );
  const { clientId: _c, clientSecret: _s, tenantId: _t, ...pointAtFake } = entra.refresherOptions();
  running = await startServer(config, {
    logger: createLogger({ level: 'silent' }),
    processMetrics: false,
    scheduler: { runOnStart: false },
    odooClient: { retries: 0 },
    ms365: { ...pointAtFake, retry: false },
  });
  url = running.url;
  const me = await call(`${url}/api/auth/me`, admin);
  adminId = me.json.user.id as string;
}, 60_000);

afterAll(async () => {
  await running?.close();
  await entra?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('user actions over HTTP, each recorded once with the right user', () => {
  let anaId: string;
  const jar = new CookieJar();

  it('a sync run by hand and an interval change', async () => {
    const run = await call(`${url}/api/sync/run`, { method: 'POST', key: ADMIN_KEY, body: { mode: 'full' } });
    expect(run.status).toBe(202);
    await waitFor(async () => (await running.scheduler.status()).running === false && (await running.store.listSyncLogs({ runId: run.json.runId })).items.length > 0, 30_000, 'the run');
    expect((await call(`${url}/api/sync/settings`, { method: 'PUT', key: ADMIN_KEY, body: { intervalMinutes: 33 } })).status).toBe(200);
    // The same interval again changes nothing, and records nothing.
    expect((await call(`${url}/api/sync/settings`, { method: 'PUT', key: ADMIN_KEY, body: { intervalMinutes: 33 } })).status).toBe(200);
    const started = await all('&type=sync_run_started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ userId: adminId, entityType: 'sync_run', entityId: run.json.runId, metadata: { mode: 'full' } });
    const changed = await all('&type=sync_interval_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ userId: adminId, metadata: { after: { intervalMinutes: 33 } } });
  });

  it('sign-in, approval, role change, links by an admin, API keys, sign-out', async () => {
    const ana = entra.addUser({ upn: 'ana@contoso.test', name: 'Ana Souza' });
    const { callback } = await signIn({ entra }, { url }, jar, ana);
    expect(callback.status).toBe(302);
    const me = await browse(jar, `${url}/api/auth/me`);
    anaId = me.json.user.id as string;
    expect(me.json.user.status).toBe('pending');

    expect((await call(`${url}/api/admin/users/${anaId}/approve`, { method: 'POST', key: ADMIN_KEY })).status).toBe(200);
    expect((await call(`${url}/api/admin/users/${anaId}/role`, { method: 'PUT', key: ADMIN_KEY, body: { role: 'admin' } })).status).toBe(200);
    expect((await call(`${url}/api/admin/users/${anaId}/role`, { method: 'PUT', key: ADMIN_KEY, body: { role: 'user' } })).status).toBe(200);
    const odooUsers = await running.store.queryRecords('odoo_user', { limit: 2 });
    const [first, second] = odooUsers.items;
    if (!first || !second) throw new Error('the sync brought no Odoo users');
    expect((await call(`${url}/api/admin/users/${anaId}/odoo-link`, { method: 'PUT', key: ADMIN_KEY, body: { odooUserId: first.odooId } })).status).toBe(200);
    expect((await call(`${url}/api/admin/users/${anaId}/odoo-link`, { method: 'PUT', key: ADMIN_KEY, body: { odooUserId: second.odooId } })).status).toBe(200);
    expect((await call(`${url}/api/admin/users/${anaId}/odoo-link`, { method: 'DELETE', key: ADMIN_KEY })).status).toBe(200);

    const created = await call(`${url}/api/admin/api-keys`, { method: 'POST', key: ADMIN_KEY, body: { userId: anaId, label: 'reporting script' } });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^osk_/);
    expect(created.json.apiKey).toMatchObject({ userId: anaId, label: 'reporting script', revokedAt: null });
    expect((await call(`${url}/api/auth/me`, { key: created.json.key })).json.user.id).toBe(anaId);
    // API-key calls are not sign-ins: no activity per request.
    expect((await call(`${url}/api/auth/me`, { key: created.json.key })).status).toBe(200);
    expect((await call(`${url}/api/admin/api-keys/${created.json.apiKey.id}`, { method: 'DELETE', key: ADMIN_KEY })).status).toBe(200);
    expect((await call(`${url}/api/admin/api-keys/${created.json.apiKey.id}`, { method: 'DELETE', key: ADMIN_KEY })).status).toBe(200);

    expect((await browse(jar, `${url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);

    const about = (await all()).filter((a) => a.entityId === anaId || a.metadata['ownerUserId'] === anaId);
    expect(about.map((a) => [a.activityType, a.userId]).reverse()).toEqual([
      ['user_signed_in', anaId],
      ['user_approved', adminId],
      ['role_changed', adminId],
      ['role_changed', adminId],
      ['user_linked_by_admin', adminId],
      ['user_relinked_by_admin', adminId],
      ['user_unlinked_by_admin', adminId],
      ['api_key_created', adminId],
      ['api_key_revoked', adminId],
      ['user_signed_out', anaId],
    ]);
    const keyActivity = about.find((a) => a.activityType === 'api_key_created');
    expect(keyActivity?.title).toBe('Created API key "reporting script" of ana@contoso.test');
    expect(JSON.stringify(await all())).not.toContain(created.json.key as string);
    expect(about.find((a) => a.activityType === 'user_relinked_by_admin')?.metadata).toMatchObject({
      before: { odooUserId: first.odooId },
      after: { odooUserId: second.odooId, strategy: 'manual' },
    });
  });

  it('a failed action records nothing', async () => {
    const before = (await all()).length;
    expect((await call(`${url}/api/admin/users/nobody/approve`, { method: 'POST', key: ADMIN_KEY })).status).toBe(404);
    expect((await call(`${url}/api/admin/api-keys`, { method: 'POST', key: ADMIN_KEY, body: { userId: 'nobody', label: 'x' } })).status).toBe(404);
    expect((await call(`${url}/api/sync/settings`, { method: 'PUT', key: ADMIN_KEY, body: { intervalMinutes: 0 } })).status).toBe(422);
    expect((await all()).length).toBe(before);
  });

  it('visibility: a person sees their own activities and those on records, not other people\'s', async () => {
    const created = await call(`${url}/api/admin/api-keys`, { method: 'POST', key: ADMIN_KEY, body: { userId: anaId, label: 'ana' } });
    const anaKey = created.json.key as string;
    await running.store.appendActivities([
      { id: 'vis-1', activityType: 'opportunity_won', title: 'Won opportunity: Big deal', entityType: 'opportunity', entityId: '1', userId: adminId, userName: 'Admin', source: 'app', metadata: {}, timestamp: new Date().toISOString() },
      { id: 'vis-2', activityType: 'call', title: 'Call Acme', entityType: 'account', entityId: '3', userId: null, userName: 'Someone in Odoo', source: 'odoo', metadata: {}, timestamp: new Date().toISOString() },
    ]);
    // Every page, 200 at a time (the timeline holds Odoo's own activities too).
    const pages = async (limit: number): Promise<Activity[]> => {
      const items: Activity[] = [];
      let next: string | null = null;
      do {
        const page = await activities(`?limit=${limit}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`, anaKey);
        expect(page.status).toBe(200);
        items.push(...(page.json.items as Activity[]));
        next = page.json.nextCursor as string | null;
      } while (next !== null);
      return items;
    };
    const seen = await pages(200);
    const ids = new Set(seen.map((a) => a.id));
    expect(ids.has('vis-1')).toBe(true);
    expect(ids.has('vis-2')).toBe(true);
    // Their own sign-in is visible; the admin's actions on users and keys are not.
    expect(seen.some((a) => a.activityType === 'user_signed_in' && a.userId === anaId)).toBe(true);
    expect(seen.filter((a) => a.entityType !== null && ['user', 'api_key', 'sync_run', 'sync_settings'].includes(a.entityType)).every((a) => a.userId === anaId)).toBe(true);
    expect(seen.some((a) => a.activityType === 'sync_run_started')).toBe(false);
    // Asking for someone else's activities gives only those on records.
    const theirs = (await activities(`?userId=${adminId}&limit=200`, anaKey)).json.items as Activity[];
    expect(theirs.map((a) => a.id)).toEqual(['vis-1']);
    // Paging through the visible set with small pages gives the same list.
    expect((await pages(7)).map((a) => a.id)).toEqual(seen.map((a) => a.id));
    // The export is for admins.
    expect((await call(`${url}/api/activities/export.csv`, { key: anaKey })).status).toBe(403);
  });
});

describe('GET /api/activities filters and paging', () => {
  const base = Date.parse('2026-01-10T12:00:00.000Z');
  const at = (day: number) => new Date(base + day * 86_400_000).toISOString();

  beforeAll(async () => {
    await running.store.appendActivities(
      Array.from({ length: 12 }, (_, i): Activity => ({
        id: `f${String(i).padStart(2, '0')}`,
        activityType: i % 3 === 0 ? 'call' : i % 3 === 1 ? 'meeting' : 'opportunity_updated',
        title: i === 4 ? 'Renewal meeting with Müller' : `Item ${i}`,
        entityType: i % 2 === 0 ? 'account' : 'opportunity',
        entityId: String(100 + (i % 4)),
        userId: i < 6 ? 'u-filter-1' : 'u-filter-2',
        userName: 'Filter person',
        source: i % 3 === 2 ? 'app' : 'odoo',
        metadata: {},
        timestamp: at(i),
      })),
    );
  });
  const ids = async (query: string) => (await all(`&from=2026-01-01&to=2026-01-31${query}`)).map((a) => a.id);

  it('filters by type (several), entity, user, source, dates and title text', async () => {
    expect(await ids('&type=call,meeting&userId=u-filter-1')).toEqual(['f04', 'f03', 'f01', 'f00']);
    expect(await ids('&type=call&type=meeting&userId=u-filter-1')).toEqual(['f04', 'f03', 'f01', 'f00']);
    expect(await ids('&entityType=account&entityId=100')).toEqual(['f08', 'f04', 'f00']);
    expect(await ids('&source=app')).toEqual(['f11', 'f08', 'f05', 'f02']);
    expect(await ids('&q=m%C3%BCller')).toEqual(['f04']);
    expect((await all('&from=2026-01-12&to=2026-01-13')).map((a) => a.id)).toEqual(['f03', 'f02']);
    expect((await all('&from=2026-01-12T12:00:00Z&to=2026-01-13T12:00:00Z')).map((a) => a.id)).toEqual(['f02']);
  });

  it('pages with a stable cursor while activities are added', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page = await activities(`?from=2026-01-01&to=2026-01-31&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...(page.json.items as Activity[]).map((a) => a.id));
      cursor = page.json.nextCursor as string | null;
      // Meanwhile, others keep working: newer activities and ones inside the range land.
      await running.store.appendActivities([
        { id: `zz-new-${round}`, activityType: 'note', title: 'later', entityType: 'account', entityId: '1', userId: null, userName: null, source: 'odoo', metadata: {}, timestamp: at(15) },
      ]);
      round++;
    } while (cursor !== null);
    expect(seen.filter((id) => id.startsWith('f'))).toEqual(['f11', 'f10', 'f09', 'f08', 'f07', 'f06', 'f05', 'f04', 'f03', 'f02', 'f01', 'f00']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses bad input with a typed error, never a 500', async () => {
    const cases: Array<[string, string]> = [
      ['?type=not_a_type', 'query.type'],
      ['?type=Robert%27);DROP', 'query.type'],
      ['?from=2026-02-31', 'query.from'],
      ['?to=yesterday', 'query.to'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?limit=0', 'query.limit'],
      ['?limit=201', 'query.limit'],
      ['?limit=abc', 'query.limit'],
      ['?source=crm', 'query.source'],
      ['?q=', 'query.q'],
      ['?color=red', 'query'],
    ];
    for (const [query, path] of cases) {
      const res = await activities(query);
      expect({ query, status: res.status, code: res.json?.error?.code }).toEqual({ query, status: 422, code: 'input_invalid' });
      expect(JSON.stringify(res.json.error.details.issues)).toContain(path);
    }
    expect((await call(`${url}/api/activities`)).status).toBe(401);
  });
});

describe('GET /api/activities/export.csv', () => {
  beforeAll(async () => {
    await running.store.appendActivities([
      { id: 'csv-1', activityType: 'note', title: '=HYPERLINK("http://evil.example","click")', entityType: 'account', entityId: '9', userId: null, userName: 'Eve, "the" tester', source: 'odoo', metadata: { text: 'a\nb' }, timestamp: '2025-06-02T10:00:00.000Z' },
      { id: 'csv-2', activityType: 'call', title: 'Appel à Zoë', entityType: 'account', entityId: '9', userId: null, userName: null, source: 'odoo', metadata: {}, timestamp: '2025-06-01T10:00:00.000Z' },
      { id: 'csv-3', activityType: 'call', title: 'Outside the range', entityType: 'account', entityId: '9', userId: null, userName: null, source: 'odoo', metadata: {}, timestamp: '2025-07-01T10:00:00.000Z' },
    ]);
  });

  it('streams the matches as UTF-8 CSV with a BOM, quoting, formula defence and the date range in the file name', async () => {
    const res = await fetch(`${url}/api/activities/export.csv?from=2025-06-01&to=2025-06-30&entityType=account`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="activities-2025-06-01-to-2025-06-30.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('id,timestamp,activity_type,source,title,entity_type,entity_id,user_id,user_name,metadata');
    expect(lines[1]).toBe(`csv-1,2025-06-02T10:00:00.000Z,note,odoo,"'=HYPERLINK(""http://evil.example"",""click"")",account,9,,"Eve, ""the"" tester","{""text"":""a\\nb""}"`);
    expect(lines[2]).toBe('csv-2,2025-06-01T10:00:00.000Z,call,odoo,Appel à Zoë,account,9,,,{}');
    expect(lines.slice(3)).toEqual(['']);
  });

  it('names an open range, and refuses bad filters before it starts', async () => {
    const open = await fetch(`${url}/api/activities/export.csv?type=call`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    const today = new Date().toISOString().slice(0, 10);
    expect(open.headers.get('content-disposition')).toBe(`attachment; filename="activities-start-to-${today}.csv"`);
    await open.arrayBuffer();
    for (const query of ['?type=nope', '?from=2025-13-01', '?limit=5']) {
      const res = await call(`${url}/api/activities/export.csv${query}`, { key: ADMIN_KEY });
      expect({ query, status: res.status, code: res.json?.error?.code }).toEqual({ query, status: 422, code: 'input_invalid' });
    }
  });
});

describe('when the store cannot take activities', () => {
  it('the request still succeeds; the failure is counted in /metrics', async () => {
    const dropped = async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const found = /^odoo_sync_activities_dropped_total\{reason="store_failed"\} (\d+)$/m.exec(text);
      return Number(found?.[1] ?? Number.NaN);
    };
    expect(await dropped()).toBe(0);
    // Another tool breaks the activities table under the server's feet (the rest still works).
    const raw = new Database(join(dir, 'sync.db'));
    raw.exec('DROP TABLE activities');
    raw.close();
    const res = await call(`${url}/api/sync/settings`, { method: 'PUT', key: ADMIN_KEY, body: { intervalMinutes: 47 } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ intervalMinutes: 47 });
    expect((await call(`${url}/api/sync/settings`, { key: ADMIN_KEY })).json).toEqual({ intervalMinutes: 47 });
    expect(await dropped()).toBe(1);
    // Reading the timeline fails with a typed store error, not a crash.
    const read = await activities('');
    expect(read.status).toBe(503);
    expect(read.json.error.code).toBe('store_error');
  });
});
