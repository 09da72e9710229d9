import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { MemorySource, MemoryStore, prepareDirectory, Reconciler, SyncScheduler } from '@odoo-sync/core';
import { canonicalEmail } from '@odoo-sync/core/matching';
import { ConfigError } from '@odoo-sync/core/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatConfigError, loadConfig } from './config.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, { envFile: false, cwd: '/srv/app' });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults: simulator, SQLite under ./.odoo-sync, 127.0.0.1:3000, 15 minutes', () => {
    const config = loadConfig({}, { envFile: false, cwd: '/srv/app' });
    expect(config).toMatchObject({
      odoo: null,
      store: { kind: 'sqlite', path: '/srv/app/.odoo-sync/odoo-sync.db' },
      host: '127.0.0.1',
      port: 3000,
      dataDir: '/srv/app/.odoo-sync',
      syncIntervalMinutes: 15,
      alertAfterFailures: 3,
      smtp: null,
      webhookSecret: null,
      logLevel: 'info',
    });
  });

  it('schedules a daily full run at 03:00, pauses after 24 h of failures; reads PUBLIC_URL, TIME_ZONE and the overrides', () => {
    const defaults = loadConfig({}, { envFile: false, cwd: '/srv/app' });
    expect(defaults).toMatchObject({ syncFullEveryHours: 24, syncFullAtHour: 3, syncPauseAfterHours: 24, publicUrl: null, timeZone: undefined });
    const set = loadConfig(
      { SYNC_FULL_EVERY_HOURS: '0', SYNC_FULL_AT_HOUR: 'any', SYNC_PAUSE_AFTER_HOURS: '0', PUBLIC_URL: 'https://crm.acme.com/', TIME_ZONE: 'Europe/Brussels' },
      { envFile: false, cwd: '/srv/app' },
    );
    expect(set).toMatchObject({ syncFullEveryHours: 0, syncFullAtHour: null, syncPauseAfterHours: 0, publicUrl: 'https://crm.acme.com', timeZone: 'Europe/Brussels' });
    const bad = failure({ SYNC_FULL_AT_HOUR: '24', TIME_ZONE: 'Mars/Olympus', PUBLIC_URL: 'crm.acme.com' });
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['PUBLIC_URL', 'SYNC_FULL_AT_HOUR', 'TIME_ZONE']);
  });

  it('takes TIME_ZONE=UTC without building an Intl formatter (its locale data would stay in memory)', () => {
    const formatter = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      expect(loadConfig({ TIME_ZONE: 'UTC' }, { envFile: false, cwd: '/srv/app' }).timeZone).toBe('UTC');
      expect(loadConfig({ TIME_ZONE: 'Etc/UTC' }, { envFile: false, cwd: '/srv/app' }).timeZone).toBe('Etc/UTC');
      expect(formatter).not.toHaveBeenCalled();
    } finally {
      formatter.mockRestore();
    }
  });

  it('sweeps for deletions at least once a day unless SYNC_DELETION_SWEEP_EVERY_HOURS says otherwise', () => {
    expect(loadConfig({}, { envFile: false, cwd: '/srv/app' }).syncDeletionSweepEveryHours).toBe(24);
    expect(loadConfig({ SYNC_DELETION_SWEEP_EVERY_HOURS: '0' }, { envFile: false, cwd: '/srv/app' }).syncDeletionSweepEveryHours).toBe(0);
    expect(failure({ SYNC_DELETION_SWEEP_EVERY_HOURS: '-1' }).issues.map((i) => i.path)).toEqual(['SYNC_DELETION_SWEEP_EVERY_HOURS']);
    expect(failure({ SYNC_DELETION_SWEEP_EVERY_HOURS: 'daily' }).issues.map((i) => i.path)).toEqual(['SYNC_DELETION_SWEEP_EVERY_HOURS']);
  });

  it('reads a full production configuration', () => {
    const config = loadConfig(
      {
        ODOO_URL: 'https://acme.odoo.com/',
        ODOO_DB: 'acme',
        ODOO_USERNAME: 'bot@acme.com',
        ODOO_API_KEY: 'odoo-api-key-value',
        ODOO_PROTOCOL: 'json2',
        STORE_URL: 'mongodb://sync:pw@mongo:27017/odoo_sync',
        HOST: '0.0.0.0',
        PORT: '8080',
        SYNC_INTERVAL_MINUTES: '30',
        SMTP_URL: 'smtp://u:p@smtp.acme.com:587',
        ALERT_FROM: 'odoo-sync <alerts@acme.com>',
        WEBHOOK_SECRET: 'abcdefghijklmnop1234',
        ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: 'bootstrap-key-0123456789abcdef',
      },
      { envFile: false },
    );
    expect(config.odoo).toMatchObject({ url: 'https://acme.odoo.com', db: 'acme', credentialKind: 'api_key', protocol: 'json2' });
    expect(config.odoo?.credential.reveal()).toBe('odoo-api-key-value');
    expect(config.store.kind).toBe('mongodb');
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8080, syncIntervalMinutes: 30, smtp: { from: 'odoo-sync <alerts@acme.com>' } });
    // Secrets never show up when the config is printed or serialised.
    const printed = inspect(config, { depth: 10 }) + JSON.stringify(config);
    for (const secret of ['odoo-api-key-value', 'sync:pw', 'u:p@', 'abcdefghijklmnop1234', 'bootstrap-key-0123456789abcdef']) {
      expect(printed).not.toContain(secret);
    }
  });

  it("takes the interval and concurrency bounds of core's SyncScheduler and Reconciler, no other", () => {
    const bounds = [
      ['SYNC_INTERVAL_MINUTES', 'syncIntervalMinutes', SyncScheduler.INTERVAL_MINUTES.min, SyncScheduler.INTERVAL_MINUTES.max],
      ['SYNC_CONCURRENCY', 'syncConcurrency', Reconciler.CONCURRENCY.min, Reconciler.CONCURRENCY.max],
    ] as const;
    for (const [variable, field, min, max] of bounds) {
      for (const ok of [min, max]) expect(loadConfig({ [variable]: String(ok) }, { envFile: false, cwd: '/srv/app' })[field]).toBe(ok);
      for (const bad of [min - 1, max + 1]) expect(failure({ [variable]: String(bad) }).issues.map((i) => i.path)).toEqual([variable]);
    }
    // The Reconciler itself takes every concurrency the configuration lets through.
    const store = new MemoryStore();
    expect(() => new Reconciler({ source: new MemorySource(), store, concurrency: Reconciler.CONCURRENCY.max })).not.toThrow();
    expect(() => new Reconciler({ source: new MemorySource(), store, concurrency: Reconciler.CONCURRENCY.max + 1 })).toThrow(TypeError);
  });

  it('names each bad variable on its own line, with an example, never echoing values', () => {
    const error = failure({
      ODOO_URL: 'ftp://nope',
      ODOO_API_KEY: 'secret-api-key-xyz',
      PORT: '99999',
      SYNC_INTERVAL_MINUTES: '2',
      STORE_URL: 'postgres://x',
      SMTP_URL: 'smtp://user:smtp-password-123@host',
      WEBHOOK_SECRET: 'short',
      LOG_LEVEL: 'loud',
    });
    const vars = error.issues.map((i) => i.path).sort();
    expect(vars).toEqual(['ALERT_FROM', 'LOG_LEVEL', 'ODOO_DB', 'ODOO_URL', 'ODOO_USERNAME', 'PORT', 'STORE_URL', 'SYNC_INTERVAL_MINUTES', 'WEBHOOK_SECRET'].sort());
    const text = formatConfigError(error);
    const lines = text.split('\n').slice(1);
    expect(lines).toHaveLength(error.issues.length);
    for (const line of lines) expect(line).toMatch(/^[A-Z_]+: .+ \(example: [A-Z_]+=.+\)$/);
    expect(text).not.toContain('secret-api-key-xyz');
    expect(text).not.toContain('smtp-password-123');
    expect(text).not.toContain('short');
  });

  it('needs a credential with ODOO_URL and ALERT_FROM with SMTP_URL', () => {
    const error = failure({ ODOO_URL: 'https://acme.odoo.com', ODOO_DB: 'acme', ODOO_USERNAME: 'bot', SMTP_URL: 'smtp://h:25' });
    expect(error.issues.map((i) => i.path).sort()).toEqual(['ALERT_FROM', 'ODOO_API_KEY']);
  });

  it('accepts ODOO_PASSWORD instead of an API key', () => {
    const config = loadConfig(
      { ODOO_URL: 'http://localhost:8069', ODOO_DB: 'db', ODOO_USERNAME: 'admin', ODOO_PASSWORD: 'pw' },
      { envFile: false },
    );
    expect(config.odoo?.credentialKind).toBe('password');
  });

  it('reads .env under the environment; the environment wins; empty values count as unset', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'PORT=4000\nHOST=0.0.0.0\nSTORE_URL=sqlite:data/x.db\nLOG_LEVEL=\n');
    const config = loadConfig({ PORT: '5000' }, { cwd: dir });
    expect(config).toMatchObject({ port: 5000, host: '0.0.0.0', store: { kind: 'sqlite', path: join(dir, 'data/x.db') }, logLevel: 'info' });
  });
});

describe('LINK_AUTOMATICALLY', () => {
  it('is on unless set to false or 0; anything else is refused on its own line', () => {
    const load = (value?: string) => loadConfig(value === undefined ? {} : { LINK_AUTOMATICALLY: value }, { envFile: false, cwd: '/srv/app' });
    expect(load().linkAutomatically).toBe(true);
    expect(load('true').linkAutomatically).toBe(true);
    expect(load('1').linkAutomatically).toBe(true);
    expect(load('false').linkAutomatically).toBe(false);
    expect(load('0').linkAutomatically).toBe(false);
    const error = failure({ LINK_AUTOMATICALLY: 'sometimes' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['LINK_AUTOMATICALLY']);
    expect(formatConfigError(error)).toMatch(/LINK_AUTOMATICALLY: must be true or false \(example: LINK_AUTOMATICALLY=true\)/);
  });
});

describe('LINK_DOMAIN_ALIASES', () => {
  const load = (value: string) => loadConfig({ LINK_DOMAIN_ALIASES: value }, { envFile: false, cwd: '/srv/app' });
  /** The one issue a bad value gives. */
  function problem(value: string): string {
    const error = failure({ LINK_DOMAIN_ALIASES: value });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('LINK_DOMAIN_ALIASES');
    const lines = formatConfigError(error).split('\n').slice(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^LINK_DOMAIN_ALIASES: .+ \(example: LINK_DOMAIN_ALIASES=acme\.eu=acme\.com,mail\.acme\.com=acme\.com\)$/);
    return error.issues[0]!.message;
  }

  it('reads alias=canonical pairs: spaces trimmed, lower-cased, empty items and repeats ignored', () => {
    const config = load(' Acme.EU = acme.com , ,mail.acme.com=ACME.com,@acme.de=acme.com,acme.eu=acme.com,');
    expect(config.linkDomainAliases).toEqual({ 'acme.eu': 'acme.com', 'mail.acme.com': 'acme.com', 'acme.de': 'acme.com' });
  });

  it('unset, empty or only commas: no aliases', () => {
    expect(loadConfig({}, { envFile: false }).linkDomainAliases).toEqual({});
    expect(load('').linkDomainAliases).toEqual({});
    expect(load(' , ,').linkDomainAliases).toEqual({});
  });

  it('refuses an item without "=", naming it and what to write', () => {
    const message = problem('acme.eu=acme.com,acme.de');
    expect(message).toContain('"acme.de"');
    expect(message).toContain('acme.de=<its canonical domain>');
  });

  it('refuses an item with an empty side', () => {
    expect(problem('acme.eu=')).toContain('"acme.eu="');
    expect(problem('=acme.com')).toContain('"=acme.com"');
  });

  it('refuses what is not a domain: an address, a URL, a single label, a second "="', () => {
    expect(problem('ana@acme.eu=acme.com')).toContain('"ana@acme.eu" in item "ana@acme.eu=acme.com" is not a domain');
    expect(problem('acme.eu=https://acme.com')).toContain('"https://acme.com"');
    expect(problem('acme=acme.com')).toContain('"acme" in item');
    expect(problem('acme.eu=acme.com=acme.de')).toContain('"acme.com=acme.de"');
  });

  it('refuses a domain mapped to itself', () => {
    expect(problem('acme.com=ACME.com')).toContain('maps acme.com to itself');
  });

  it('refuses a domain declared twice with different canonical domains', () => {
    const message = problem('acme.eu=acme.com,acme.eu=acme.de');
    expect(message).toContain('acme.eu is declared twice');
    expect(message).toContain('acme.eu=acme.com or acme.eu=acme.de');
  });

  it('refuses chains (a canonical domain that is itself an alias) and says where to point', () => {
    expect(problem('acme.eu=acme.de,acme.de=acme.com')).toContain('write acme.eu=acme.com');
    expect(problem('a.eu=b.eu,b.eu=c.eu,c.eu=d.eu')).toContain('write a.eu=d.eu');
    expect(problem('acme.eu=acme.com,acme.com=acme.eu')).toContain('in a loop');
  });

  it('what the server accepts, core accepts and applies as written', () => {
    const { linkDomainAliases } = load('acme.eu=acme.com,mail.acme.com=acme.com');
    const directory = prepareDirectory({ users: [], employees: [], salespersons: [] }, { domainAliases: linkDomainAliases });
    expect(canonicalEmail(directory, 'Ana.Souza+crm@ACME.eu')).toBe('ana.souza@acme.com');
    expect(canonicalEmail(directory, 'ana.souza@mail.acme.com')).toBe('ana.souza@acme.com');
  });
});

describe('SYNC_ENTITIES', () => {
  const load = (value: string) => loadConfig({ SYNC_ENTITIES: value }, { envFile: false, cwd: '/srv/app' }).syncEntities;
  const problem = (value: string) => {
    const error = failure({ SYNC_ENTITIES: value });
    expect(error.issues.map((i) => i.path)).toEqual(['SYNC_ENTITIES']);
    return error.issues[0]!.message;
  };

  it('every entity when unset, in run order', () => {
    expect(loadConfig({}, { envFile: false }).syncEntities).toEqual(['odoo_user', 'employee', 'account', 'contact', 'opportunity', 'invoice', 'mail_activity', 'mail_message']);
  });

  it('a list keeps only those entities, in run order; -name leaves entities out', () => {
    expect(load('contact, account')).toEqual(['account', 'contact']);
    expect(load('-invoice')).toEqual(['odoo_user', 'employee', 'account', 'contact', 'opportunity', 'mail_activity', 'mail_message']);
    expect(load('-invoice,-employee,-mail_activity,-mail_message')).toEqual(['odoo_user', 'account', 'contact', 'opportunity']);
    expect(load('mail_message,opportunity')).toEqual(['opportunity', 'mail_message']);
  });

  it('refuses unknown entities, mixed forms and lists that leave nothing', () => {
    expect(problem('contact,invoices')).toContain('"invoices" is not an entity; expected odoo_user, employee, account, contact, opportunity, invoice');
    expect(problem('contact,-invoice')).toContain('not both');
    expect(problem(',')).toContain('must name entities');
    expect(problem('-odoo_user,-employee,-account,-contact,-opportunity,-invoice,-mail_activity,-mail_message')).toContain('leaves no entity to sync');
  });
});

describe('ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL', () => {
  it('is null unless set, and must be an address', () => {
    expect(loadConfig({}, { envFile: false }).bootstrapAdminEmail).toBeNull();
    expect(loadConfig({ ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL: 'ops@acme.com' }, { envFile: false }).bootstrapAdminEmail).toBe('ops@acme.com');
    expect(failure({ ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL: 'ops' }).issues[0]?.message).toMatch(/^must be an e-mail address/);
  });
});
