import { systemClock, type UserStore } from '@odoo-sync/core';
import type { UserQuery } from '@odoo-sync/core/store-kit';
import { OdooTransportError } from '@odoo-sync/core/errors';
import { afterEach, expect, it } from 'vitest';
import { issueApiKey } from '../src/auth/api-keys.js';
import { SmtpNotifier } from '../src/runtime/notifier.js';
import { alertContextOf } from '../src/runtime/composition.js';
import { Secret } from '../src/secret.js';
import { call, startTestServer, waitFor, type TestServer } from './helpers.js';
import { startSmtp } from './smtp.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runThroughApi(s: TestServer, fail: boolean): Promise<void> {
  if (fail) s.source.failAfter(0, new OdooTransportError('Odoo is down (test).', { retryable: false }));
  const res = await call(`${s.url}/api/sync/run`, { method: 'POST', key: s.adminKey, body: { entity: 'contact' } });
  expect(res.status).toBe(202);
  await waitFor(async () => {
    const logs = await call(`${s.url}/api/sync/logs?runId=${res.json.runId}`, { key: s.adminKey });
    return logs.json.items.length === 1 && !(await s.scheduler.status()).running;
  }, 10_000, 'the run to finish');
}

it('e-mails admins once after 3 failed runs in a row and once on recovery, through a real SMTP server', async () => {
  const smtp = await startSmtp();
  cleanups.push(smtp.close);
  let s!: TestServer;
  const notifier = new SmtpNotifier({
    users: { listUsers: (q?: UserQuery) => s.store.listUsers(q) } as unknown as UserStore,
    from: 'odoo-sync <alerts@example.com>',
    smtpUrl: new Secret(smtp.url),
  });
  s = await startTestServer({ notifier, failureThreshold: 3 });
  cleanups.push(() => s.close());
  cleanups.push(async () => notifier.close());

  const expected = [0, 0, 1, 1, 2, 2];
  const outcomes = [true, true, true, true, false, false];
  for (const [i, fail] of outcomes.entries()) {
    await runThroughApi(s, fail);
    expect([`after run ${i + 1}`, smtp.received.length]).toEqual([`after run ${i + 1}`, expected[i]]);
  }
  expect(smtp.received[0]?.to).toEqual(['admin@example.com']);
  expect(smtp.received[0]?.data).toContain('X-Odoo-Sync-Alert: sync_failing');
  expect(smtp.received[1]?.data).toContain('X-Odoo-Sync-Alert: sync_recovered');
  const status = await call(`${s.url}/api/sync/status`, { key: s.userKey });
  expect(status.json).toMatchObject({ consecutiveFailures: 0, healthy: true });
});

it('a relay refusing one admin does not make the alert repeat: the others get it once, the refused one is retried, and the status says so', async () => {
  const refuse = new Set(['ops@example.com']);
  const smtp = await startSmtp({ refuse });
  cleanups.push(smtp.close);
  let s!: TestServer;
  const notifier = new SmtpNotifier({
    users: { listUsers: (q?: UserQuery) => s.store.listUsers(q) } as unknown as UserStore,
    from: 'odoo-sync <alerts@example.com>',
    smtpUrl: new Secret(smtp.url),
  });
  s = await startTestServer({
    notifier,
    failureThreshold: 2,
    alertContext: alertContextOf({ publicUrl: 'https://crm.acme.test', timeZone: 'UTC' }),
  });
  cleanups.push(() => s.close());
  cleanups.push(async () => notifier.close());
  await issueApiKey(s.store, { email: 'ops@example.com', role: 'admin', clock: systemClock });
  const to = (who: string) => smtp.received.filter((m) => m.to.includes(who));

  for (let i = 0; i < 2; i++) await runThroughApi(s, true);
  expect(to('admin@example.com')).toHaveLength(1);
  expect(to('ops@example.com')).toHaveLength(0);
  let status = await call(`${s.url}/api/sync/status`, { key: s.userKey });
  expect(status.json.alert).toMatchObject({ kind: 'sync_failing', delivered: 1, undelivered: 1, error: { code: 'notifier_failed' } });

  // Two more failed runs: the admin who got it is not e-mailed again ("failed 3, 4 times").
  for (let i = 0; i < 2; i++) await runThroughApi(s, true);
  expect(to('admin@example.com')).toHaveLength(1);

  refuse.clear();
  await runThroughApi(s, true);
  expect(to('ops@example.com')).toHaveLength(1);
  expect(to('admin@example.com')).toHaveLength(1);
  status = await call(`${s.url}/api/sync/status`, { key: s.userKey });
  expect(status.json.alert).toMatchObject({ kind: 'sync_failing', delivered: 2, undelivered: 0, error: null });

  await runThroughApi(s, false);
  expect(to('admin@example.com').map((m) => /X-Odoo-Sync-Alert: (\w+)/.exec(m.data)?.[1])).toEqual(['sync_failing', 'sync_recovered']);
  expect(to('ops@example.com').map((m) => /X-Odoo-Sync-Alert: (\w+)/.exec(m.data)?.[1])).toEqual(['sync_failing', 'sync_recovered']);

  // What the alert says: where it comes from, a link, advice for this error, local time, HTML too.
  const body = to('admin@example.com')[0]!.data.replace(/=\r?\n/g, '');
  expect(body).toContain('crm.acme.test');
  expect(body).toContain('https://crm.acme.test/api/sync/logs');
  expect(body).toContain('odoo_transport_failed');
  expect(body).toContain('reachable');
  expect(body).toContain('UTC');
  expect(body).toContain('text/html');
});
