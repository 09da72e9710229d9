import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  type AlertContext,
  MemorySource,
  MemoryStore,
  Reconciler,
  type ReconcilerOptions,
  SyncScheduler,
  type SyncSchedulerOptions,
  type Logger,
  type Notifier,
  type SyncStore,
  systemClock,
} from '@odoo-sync/core';
import { createApp, type CreateAppOptions, type OdooSyncApp } from '../src/http/app.js';
import { issueApiKey } from '../src/auth/api-keys.js';
import { Secret } from '../src/secret.js';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** Writes a small Odoo dataset into a MemorySource. */
export function seedSource(source: MemorySource): void {
  source.write('res.users', { id: 2, login: 'admin', name: 'Mitchell Admin', email: 'admin@example.com', share: false, active: true });
  source.write('res.users', { id: 6, login: 'marc', name: 'Marc Demo', email: 'marc@example.com', share: false, active: true });
  source.write('hr.employee', { id: 1, name: 'Mitchell Admin', work_email: 'admin@example.com', user_id: [2, 'Mitchell Admin'], department_id: [1, 'Management'], job_title: 'CEO', active: true });
  source.write('hr.employee', { id: 2, name: 'Marc Demo', work_email: 'marc@example.com', user_id: [6, 'Marc Demo'], department_id: [2, 'Sales'], job_title: 'Salesman', active: true });
  source.write('res.partner', { id: 10, name: 'Acme Corp', is_company: true, email: 'info@acme.com', city: 'Brussels', country_id: [20, 'Belgium'], active: true });
  source.write('res.partner', { id: 11, name: 'Globex', is_company: true, email: 'hello@globex.com', city: 'Paris', active: true });
  source.write('res.partner', { id: 20, name: 'Ana Souza', is_company: false, email: 'ana@acme.com', parent_id: [10, 'Acme Corp'], commercial_partner_id: [10, 'Acme Corp'], active: true });
  source.write('res.partner', { id: 21, name: 'Bob Stone', is_company: false, email: 'bob@globex.com', parent_id: [11, 'Globex'], commercial_partner_id: [11, 'Globex'], active: true });
  source.write('crm.lead', { id: 100, name: 'Acme: 50 chairs', type: 'opportunity', user_id: [6, 'Marc Demo'], partner_id: [10, 'Acme Corp'], stage_id: [1, 'New'], probability: 10, expected_revenue: 5000, active: true });
  source.write('crm.lead', { id: 101, name: 'Globex: desks', type: 'opportunity', user_id: [2, 'Mitchell Admin'], partner_id: [11, 'Globex'], stage_id: [2, 'Qualified'], probability: 40, expected_revenue: 12000, active: true });
  source.write('account.move', { id: 500, name: 'INV/2026/0001', move_type: 'out_invoice', state: 'posted', payment_state: 'not_paid', amount_total: 1210, amount_residual: 1210, partner_id: [10, 'Acme Corp'], currency_id: [1, 'EUR'], invoice_user_id: [6, 'Marc Demo'] });
  source.write('account.move', { id: 501, name: 'INV/2026/0002', move_type: 'out_invoice', state: 'draft', payment_state: 'not_paid', amount_total: 300, amount_residual: 300, partner_id: [11, 'Globex'], currency_id: [1, 'EUR'], invoice_user_id: [2, 'Mitchell Admin'] });
}

export interface TestServer {
  url: string;
  app: OdooSyncApp;
  server: Server;
  store: SyncStore;
  source: MemorySource;
  scheduler: SyncScheduler;
  reconciler: Reconciler;
  adminKey: string;
  userKey: string;
  pendingKey: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  notifier?: Notifier;
  failureThreshold?: number;
  logger?: Logger;
  app?: Partial<CreateAppOptions>;
  bodyLimitBytes?: number;
  webhookSecret?: string | null;
  alertContext?: AlertContext;
  scheduler?: Partial<SyncSchedulerOptions>;
  /** The Reconciler's entities (built-in names and definitions). @default the built-ins */
  entities?: ReconcilerOptions['entities'];
}

/** A real server on 127.0.0.1, over MemoryStore and MemorySource, with keys of three users. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = new MemoryStore();
  const source = new MemorySource();
  seedSource(source);
  const reconciler = new Reconciler({
    source,
    store,
    retry: false,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.entities ? { entities: options.entities } : {}),
  });
  const scheduler = new SyncScheduler({
    runner: reconciler,
    locks: store,
    settings: store,
    retry: false,
    failureThreshold: options.failureThreshold ?? 3,
    ...(options.alertContext ? { alertContext: options.alertContext } : {}),
    ...options.scheduler,
    ...(options.notifier ? { notifier: options.notifier } : {}),
  });
  const app = createApp({
    store,
    scheduler,
    reconciler,
    config: {
      webhookSecret: options.webhookSecret === null ? null : new Secret(options.webhookSecret ?? WEBHOOK_SECRET),
      ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    },
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.notifier ? { notifier: options.notifier } : {}),
    webhooks: { settleMs: 20 },
    ...options.app,
  });

  const admin = await issueApiKey(store, { email: 'admin@example.com', role: 'admin', clock: systemClock });
  const user = await issueApiKey(store, { email: 'user@example.com', role: 'user', clock: systemClock });
  const pendingUser = await store.createUser(
    { id: 'pending-1', email: 'pending@example.com', name: 'Pending', role: 'admin', status: 'pending' },
    new Date(),
  );
  const pending = await issueApiKey(store, { email: pendingUser.email, role: 'admin', clock: systemClock });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    server,
    store,
    source,
    scheduler,
    reconciler,
    adminKey: admin.key,
    userKey: user.key,
    pendingKey: pending.key,
    async close() {
      await app.webhooks.stop();
      await scheduler.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.activities.close();
      await store.close();
    },
  };
}

/** fetch with an API key and JSON. */
export async function call(
  url: string,
  init: { method?: string; key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; redirect?: 'follow' | 'manual' } = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers['Authorization'] = `Bearer ${init.key}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] ??= 'application/json';
  } else if (init.rawBody !== undefined) {
    body = init.rawBody;
  }
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(init.redirect !== undefined ? { redirect: init.redirect } : {}),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `deadlineMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, deadlineMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a full sync through the scheduler and waits for it. */
export async function syncNow(server: TestServer, options: { force?: boolean } = {}): Promise<void> {
  const { done } = await server.scheduler.startRun({ mode: 'full', trigger: 'manual', force: options.force ?? false });
  const result = await done;
  if (result.status !== 'success') throw new Error(`sync failed: ${JSON.stringify(result.entries.map((e) => e.error))}`);
}
