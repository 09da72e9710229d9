import { MemoryStore, systemClock, type Alert } from '@odoo-sync/core';
import { startSmtp } from '../../test/smtp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BOOTSTRAP_ADMIN_EMAIL, ensureBootstrapAdminKey, issueApiKey } from '../auth/api-keys.js';
import { SmtpNotifier } from './notifier.js';
import { Secret } from '../secret.js';

const alert: Alert = {
  kind: 'sync_failing',
  subject: 'odoo-sync: syncing has failed 3 times in a row',
  text: 'The last 3 sync runs failed.',
  at: '2026-01-01T00:00:00.000Z',
  details: { consecutiveFailures: 3 },
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('SmtpNotifier', () => {
  it('e-mails every approved admin, one message each, and nobody else', async () => {
    const smtp = await startSmtp();
    cleanups.push(smtp.close);
    const store = new MemoryStore();
    await issueApiKey(store, { email: 'ada@example.com', role: 'admin', clock: systemClock });
    await issueApiKey(store, { email: 'grace@example.com', role: 'admin', clock: systemClock });
    await issueApiKey(store, { email: 'user@example.com', role: 'user', clock: systemClock });
    await store.createUser({ id: 'p', email: 'pending@example.com', name: 'P', role: 'admin', status: 'pending' }, new Date());
    const notifier = new SmtpNotifier({ users: store, from: 'odoo-sync <alerts@example.com>', smtpUrl: new Secret(smtp.url) });
    cleanups.push(async () => notifier.close());
    await notifier.notify(alert);
    expect(smtp.received.map((m) => m.to).sort()).toEqual([['ada@example.com'], ['grace@example.com']]);
    for (const message of smtp.received) {
      expect(message.from).toBe('alerts@example.com');
      expect(message.data).toContain('Subject: odoo-sync: syncing has failed 3 times in a row');
      expect(message.data).toContain('The last 3 sync runs failed.');
      expect(message.data).toContain('X-Odoo-Sync-Alert: sync_failing');
    }
  });

  it('sends nothing when there is no approved admin', async () => {
    const smtp = await startSmtp();
    cleanups.push(smtp.close);
    const notifier = new SmtpNotifier({ users: new MemoryStore(), from: 'alerts@example.com', smtpUrl: new Secret(smtp.url) });
    await notifier.notify(alert);
    expect(smtp.received).toEqual([]);
  });

  it('reports notifier_failed per recipient, without the SMTP credentials, when the server refuses', async () => {
    const smtp = await startSmtp({ reject: true });
    cleanups.push(smtp.close);
    const store = new MemoryStore();
    await issueApiKey(store, { email: 'ada@example.com', role: 'admin', clock: systemClock });
    const url = smtp.url.replace('smtp://', 'smtp://alerts:hunter2-secret@');
    const notifier = new SmtpNotifier({ users: store, from: 'alerts@example.com', smtpUrl: new Secret(url) });
    const delivery = await notifier.notify(alert);
    expect(delivery.delivered).toEqual([]);
    expect(delivery.failed).toMatchObject([{ recipient: 'ada@example.com', error: { code: 'notifier_failed' } }]);
    expect(JSON.stringify(delivery)).not.toContain('hunter2');
  });

  it('sends to each admin on its own: a refused address does not stop the others, and skip/only choose the recipients', async () => {
    const refuse = new Set(['grace@example.com']);
    const smtp = await startSmtp({ refuse });
    cleanups.push(smtp.close);
    const store = new MemoryStore();
    for (const email of ['ada@example.com', 'grace@example.com', 'linus@example.com']) {
      await issueApiKey(store, { email, role: 'admin', clock: systemClock });
    }
    const notifier = new SmtpNotifier({ users: store, from: 'alerts@example.com', smtpUrl: new Secret(smtp.url) });
    cleanups.push(async () => notifier.close());
    const first = await notifier.notify({ ...alert, html: '<p>The last 3 sync runs failed.</p>' });
    expect(first.delivered.sort()).toEqual(['ada@example.com', 'linus@example.com']);
    expect(first.failed).toMatchObject([{ recipient: 'grace@example.com', error: { code: 'notifier_failed' } }]);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['ada@example.com', 'linus@example.com']);
    expect(smtp.received[0]!.data).toContain('text/html');
    expect(smtp.received[0]!.data).toContain('text/plain');

    refuse.clear();
    const retry = await notifier.notify(alert, { skip: first.delivered });
    expect(retry).toEqual({ delivered: ['grace@example.com'], failed: [] });
    const recovery = await notifier.notify(alert, { only: ['ADA@example.com'] });
    expect(recovery).toEqual({ delivered: ['ada@example.com'], failed: [] });
    expect(smtp.received).toHaveLength(4);
  });
});

describe('the bootstrap admin in alerts', () => {
  it('leaves the placeholder address admin@odoo-sync.local out; a real one given at start gets alerts', async () => {
    const smtp = await startSmtp();
    cleanups.push(smtp.close);
    const store = new MemoryStore();
    expect(await ensureBootstrapAdminKey(store, 'bootstrap-admin-key-0123456789', systemClock)).toBe(true);
    await issueApiKey(store, { email: 'ada@example.com', role: 'admin', clock: systemClock });
    const notifier = new SmtpNotifier({ users: store, from: 'alerts@example.com', smtpUrl: new Secret(smtp.url) });
    cleanups.push(async () => notifier.close());
    await notifier.notify(alert);
    expect(smtp.received.map((m) => m.to)).toEqual([['ada@example.com']]);

    // The same key at the next start with ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL: its owner gets the address.
    expect(await ensureBootstrapAdminKey(store, 'bootstrap-admin-key-0123456789', systemClock, 'ops@example.com')).toBe(false);
    expect(await store.getUserByEmail(BOOTSTRAP_ADMIN_EMAIL)).toBeNull();
    smtp.received.length = 0;
    await notifier.notify(alert);
    expect(smtp.received.map((m) => m.to).sort()).toEqual([['ada@example.com'], ['ops@example.com']]);
  });

  it('creates the bootstrap admin with the given address', async () => {
    const store = new MemoryStore();
    expect(await ensureBootstrapAdminKey(store, 'bootstrap-admin-key-0123456789', systemClock, 'ops@example.com')).toBe(true);
    expect((await store.getUserByEmail('ops@example.com'))?.role).toBe('admin');
    expect(await store.getUserByEmail(BOOTSTRAP_ADMIN_EMAIL)).toBeNull();
  });
});
