/**
 * Server configuration: read from environment variables (and an optional `.env` file),
 * validated with zod, one problem per variable, secrets wrapped in {@link Secret}.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type EntityName, Reconciler, SyncScheduler } from '@odoo-sync/core';
import { ConfigError, type InputIssue } from '@odoo-sync/core/errors';
import { isTenantGuid, parseKeyring } from '@odoo-sync/ms365-auth/config';
import { allowedTenantsOf, allowedTenantsProblem } from '../auth/tenants.js';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { DOMAIN, parseLinkDomainAliases, parseSyncEntities, SERVER_ENTITY_NAMES } from './config-values.js';
import { Secret } from '../secret.js';
import type { LogLevel, OdooConfig, OdooProtocol, ServerConfig, StoreConfig } from './config-types.js';

export type { LogLevel, Ms365Config, OdooConfig, OdooProtocol, ServerConfig, SmtpConfig, StoreConfig } from './config-types.js';

/** Whether `name` is an IANA time zone this runtime knows (`Europe/Brussels`, `UTC`). */
function isTimeZone(name: string): boolean {
  // UTC needs no check: an Intl.DateTimeFormat would map ICU's locale data into the process for good (~5 MB).
  if (['UTC', 'ETC/UTC', 'GMT', 'ETC/GMT'].includes(name.toUpperCase())) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The environment variables the server reads, with an example value of each (for messages and docs). */
export const CONFIG_VARIABLES = {
  ODOO_URL: 'https://acme.odoo.com',
  ODOO_DB: 'acme-production',
  ODOO_USERNAME: 'sync-bot@acme.com',
  ODOO_API_KEY: '<an API key from Odoo: Preferences → Account Security>',
  ODOO_PASSWORD: '<the Odoo user password; prefer ODOO_API_KEY>',
  ODOO_PROTOCOL: 'auto',
  STORE_URL: 'sqlite:./.odoo-sync/odoo-sync.db',
  HOST: '0.0.0.0',
  PORT: '3000',
  SYNC_INTERVAL_MINUTES: '15',
  SYNC_CONCURRENCY: '2',
  SYNC_FULL_EVERY_HOURS: '24',
  SYNC_FULL_AT_HOUR: '3',
  SYNC_DELETION_SWEEP_EVERY_HOURS: '24',
  SYNC_PAUSE_AFTER_HOURS: '24',
  ACTIVITY_RETENTION_DAYS: '365',
  SYNC_LOG_RETENTION_DAYS: '90',
  SYNC_ENTITIES: '-invoice',
  ALERT_AFTER_FAILURES: '3',
  SMTP_URL: 'smtp://alerts:password@smtp.acme.com:587',
  ALERT_FROM: 'odoo-sync <alerts@acme.com>',
  PUBLIC_URL: 'https://crm.acme.com',
  TIME_ZONE: 'Europe/Brussels',
  WEBHOOK_SECRET: '<at least 16 random characters, e.g. openssl rand -hex 24>',
  SESSION_SECRET: '<at least 32 random characters, e.g. openssl rand -hex 32>',
  MS365_CLIENT_ID: '<Application (client) ID of the app registration>',
  MS365_CLIENT_SECRET: '<a client secret of the app registration>',
  MS365_TENANT_ID: '<Directory (tenant) ID>',
  MS365_REDIRECT_URI: 'https://crm.acme.com/api/auth/callback',
  MS365_ALLOWED_TENANTS: '<Directory (tenant) IDs, comma-separated, when MS365_TENANT_ID=organizations>',
  MS365_IDLE_SIGN_OUT_DAYS: '90',
  TOKEN_KEYS: 'k1:<32 random bytes in base64, e.g. openssl rand -base64 32>',
  AUTO_APPROVE_DOMAINS: 'acme.com,acme.eu',
  LINK_DOMAIN_ALIASES: 'acme.eu=acme.com,mail.acme.com=acme.com',
  LINK_AUTOMATICALLY: 'true',
  LINK_EMPLOYEE_ID_FIELD: 'identification_id',
  TRUST_PROXY: 'true',
  ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: '<at least 24 random characters, e.g. openssl rand -hex 24>',
  ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL: 'ops@acme.com',
  ODOO_SYNC_DATA_DIR: './.odoo-sync',
  LOG_LEVEL: 'info',
  HTTP_BODY_LIMIT_BYTES: '1048576',
  SHUTDOWN_TIMEOUT_SECONDS: '30',
} as const;

/** Name of a variable the server reads. */
export type ConfigVariable = keyof typeof CONFIG_VARIABLES;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * A `.env` file read under the environment (variables already set win), or `false` for none.
   * A missing file is not an error.
   * @default '<cwd>/.env'
   */
  envFile?: string | false;
  /**
   * Directory relative paths are resolved against.
   * @default process.cwd()
   */
  cwd?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function intIn(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);
}

function httpUrl(message: string) {
  return z.string().refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, message);
}

const minSecret = (n: number) => z.string().min(n, `must be at least ${n} characters long`);

/** A yes/no variable: `true`/`1` or `false`/`0`. */
const BOOLEAN = z.enum(['true', 'false', '1', '0'], 'must be true or false');

const VARIABLE_SCHEMAS = {
  ODOO_URL: httpUrl('must be an http:// or https:// URL'),
  ODOO_DB: z.string().min(1, 'must not be empty'),
  ODOO_USERNAME: z.string().min(1, 'must not be empty'),
  ODOO_API_KEY: z.string().min(1, 'must not be empty'),
  ODOO_PASSWORD: z.string().min(1, 'must not be empty'),
  ODOO_PROTOCOL: z.enum(['auto', 'xmlrpc', 'json2'], 'must be one of auto, xmlrpc, json2'),
  STORE_URL: z.string().refine(
    (value) => /^sqlite:.+/.test(value) || /^mongodb(\+srv)?:\/\/.+/.test(value),
    'must be sqlite:<file path> or a mongodb:// (or mongodb+srv://) URI',
  ),
  HOST: z.string().min(1, 'must not be empty'),
  PORT: intIn(0, 65535),
  SYNC_INTERVAL_MINUTES: intIn(SyncScheduler.INTERVAL_MINUTES.min, SyncScheduler.INTERVAL_MINUTES.max),
  SYNC_CONCURRENCY: intIn(Reconciler.CONCURRENCY.min, Reconciler.CONCURRENCY.max),
  SYNC_FULL_EVERY_HOURS: intIn(0, 8760),
  SYNC_PAUSE_AFTER_HOURS: intIn(0, 8760),
  SYNC_DELETION_SWEEP_EVERY_HOURS: intIn(0, 8760),
  ACTIVITY_RETENTION_DAYS: intIn(0, 36500),
  SYNC_LOG_RETENTION_DAYS: intIn(0, 36500),
  SYNC_FULL_AT_HOUR: z.union([z.literal('any'), intIn(0, 23)], 'must be a whole hour from 0 to 23, or any'),
  SYNC_ENTITIES: z.string().transform((value, ctx) => {
    const parsed = parseSyncEntities(value);
    if ('entities' in parsed) return parsed.entities;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }),
  ALERT_AFTER_FAILURES: intIn(1, 100),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/]+/, 'must be an smtp:// or smtps:// URL'),
  ALERT_FROM: z.string().regex(/^(.*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/, 'must be an e-mail address'),
  PUBLIC_URL: httpUrl('must be the http:// or https:// URL people open this server at, e.g. https://crm.acme.com'),
  TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone name, e.g. Europe/Brussels or UTC'),
  WEBHOOK_SECRET: minSecret(16).regex(/^[A-Za-z0-9._~-]+$/, 'may only hold letters, digits and . _ ~ - (it goes in a URL)'),
  SESSION_SECRET: minSecret(32),
  MS365_CLIENT_ID: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be the application (client) ID, a GUID'),
  MS365_CLIENT_SECRET: z.string().min(1, 'must not be empty'),
  MS365_TENANT_ID: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be the directory (tenant) ID, a GUID'),
  MS365_REDIRECT_URI: z.string().refine((value) => {
    try {
      const url = new URL(value);
      const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
      return (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) && url.pathname.endsWith('/api/auth/callback');
    } catch {
      return false;
    }
  }, 'must be the https:// URL of /api/auth/callback on this server (http:// only for localhost)'),
  MS365_ALLOWED_TENANTS: z
    .string()
    .refine((value) => value.split(',').every((t) => isTenantGuid(t.trim())), 'must be comma-separated directory (tenant) IDs, each a GUID'),
  MS365_IDLE_SIGN_OUT_DAYS: intIn(1, 90),
  TOKEN_KEYS: z.string().superRefine((value, ctx) => {
    try {
      parseKeyring(value);
    } catch (err) {
      // parseKeyring names each bad entry, never the key material.
      const issues = (err as ConfigError).issues ?? [];
      ctx.addIssue({ code: 'custom', message: issues.map((i) => `${i.path} ${i.message}`).join('; ') || 'is not valid' });
    }
  }),
  AUTO_APPROVE_DOMAINS: z
    .string()
    .refine((value) => value.split(',').every((d) => DOMAIN.test(d.trim())), 'must be comma-separated e-mail domains, e.g. acme.com,acme.eu'),
  LINK_DOMAIN_ALIASES: z.string().transform((value, ctx) => {
    const parsed = parseLinkDomainAliases(value);
    if ('aliases' in parsed) return parsed.aliases;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }),
  TRUST_PROXY: BOOLEAN,
  LINK_AUTOMATICALLY: BOOLEAN,
  LINK_EMPLOYEE_ID_FIELD: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be an Odoo field name of hr.employee, e.g. identification_id or barcode'),
  ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: minSecret(24).regex(/^\S+$/, 'must not contain spaces'),
  ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL: z.string().regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'must be an e-mail address'),
  ODOO_SYNC_DATA_DIR: z.string().min(1, 'must not be empty'),
  LOG_LEVEL: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`),
  HTTP_BODY_LIMIT_BYTES: intIn(1024, 100 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_SECONDS: intIn(1, 3600),
} satisfies Record<ConfigVariable, z.ZodType>;

/** Variables whose value must never be printed (also not in error messages). */
export const SECRET_VARIABLES: readonly ConfigVariable[] = [
  'ODOO_API_KEY',
  'ODOO_PASSWORD',
  'SMTP_URL',
  'WEBHOOK_SECRET',
  'SESSION_SECRET',
  'MS365_CLIENT_SECRET',
  'TOKEN_KEYS',
  'ODOO_SYNC_BOOTSTRAP_ADMIN_KEY',
  'STORE_URL',
];

function issue(variable: ConfigVariable, message: string): InputIssue {
  return { path: variable, message: `${message} (example: ${variable}=${CONFIG_VARIABLES[variable]})` };
}

/**
 * Reads and validates the configuration. Throws a {@link ConfigError} whose `issues` hold one
 * entry per problem (`path` is the variable name); values are never copied into messages,
 * except the bad item of `LINK_DOMAIN_ALIASES` (domain names, never a secret).
 *
 * @example
 * ```ts
 * try {
 *   const config = loadConfig(process.env);
 * } catch (err) {
 *   if (err instanceof ConfigError) console.error(formatConfigError(err));
 *   process.exit(78);
 * }
 * ```
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, options: LoadConfigOptions = {}): ServerConfig {
  const cwd = options.cwd ?? process.cwd();
  const merged: Record<string, string | undefined> = {};
  const envFile = options.envFile === undefined ? resolve(cwd, '.env') : options.envFile;
  if (envFile !== false && existsSync(envFile)) {
    Object.assign(merged, parseDotenv(readFileSync(envFile)));
  }
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;

  const issues: InputIssue[] = [];
  const values: Partial<Record<ConfigVariable, unknown>> = {};
  for (const variable of Object.keys(VARIABLE_SCHEMAS) as ConfigVariable[]) {
    const raw = merged[variable]?.trim();
    if (raw === undefined || raw === '') continue;
    const parsed = VARIABLE_SCHEMAS[variable].safeParse(raw);
    if (parsed.success) values[variable] = parsed.data;
    else issues.push(issue(variable, parsed.error.issues[0]?.message ?? 'is not valid'));
  }
  const str = (v: ConfigVariable) => values[v] as string | undefined;
  /** A {@link BOOLEAN} variable, or `fallback` when unset. */
  const flag = (v: ConfigVariable, fallback: boolean): boolean => {
    const value = str(v);
    return value === undefined ? fallback : value === 'true' || value === '1';
  };
  const int = (v: ConfigVariable) => values[v] as number | undefined;

  // Rules between variables.
  const odooVars: ConfigVariable[] = ['ODOO_URL', 'ODOO_DB', 'ODOO_USERNAME', 'ODOO_API_KEY', 'ODOO_PASSWORD'];
  const anyOdoo = odooVars.some((v) => merged[v]?.trim());
  if (anyOdoo) {
    for (const v of ['ODOO_URL', 'ODOO_DB', 'ODOO_USERNAME'] as const) {
      if (!merged[v]?.trim()) issues.push(issue(v, 'is required when connecting to Odoo'));
    }
    if (!merged['ODOO_API_KEY']?.trim() && !merged['ODOO_PASSWORD']?.trim()) {
      issues.push(issue('ODOO_API_KEY', 'is required when connecting to Odoo (or set ODOO_PASSWORD)'));
    }
  }
  if (merged['SMTP_URL']?.trim() && !merged['ALERT_FROM']?.trim()) {
    issues.push(issue('ALERT_FROM', 'is required when SMTP_URL is set'));
  }
  if (merged['ALERT_FROM']?.trim() && !merged['SMTP_URL']?.trim()) {
    issues.push(issue('SMTP_URL', 'is required when ALERT_FROM is set'));
  }
  const ms365Vars: ConfigVariable[] = ['MS365_CLIENT_ID', 'MS365_CLIENT_SECRET', 'MS365_TENANT_ID', 'MS365_REDIRECT_URI'];
  const anyMs365 = ms365Vars.some((v) => merged[v]?.trim());
  if (anyMs365) {
    for (const v of [...ms365Vars, 'TOKEN_KEYS', 'SESSION_SECRET'] as const) {
      if (!merged[v]?.trim()) issues.push(issue(v, 'is required for Microsoft 365 sign-in'));
    }
    const tenantsProblem = allowedTenantsProblem(merged['MS365_TENANT_ID'] ?? '', merged['MS365_ALLOWED_TENANTS']);
    if (tenantsProblem !== null) issues.push(issue('MS365_ALLOWED_TENANTS', tenantsProblem));
  }
  if (issues.length > 0) {
    throw new ConfigError(`The configuration has ${issues.length} problem${issues.length === 1 ? '' : 's'}.`, issues, {
      hint: 'Fix the variables named above (environment or .env file) and start again.',
    });
  }

  const dataDir = resolve(cwd, str('ODOO_SYNC_DATA_DIR') ?? '.odoo-sync');
  const storeUrl = str('STORE_URL');
  let store: StoreConfig;
  if (storeUrl === undefined) store = { kind: 'sqlite', path: resolve(dataDir, 'odoo-sync.db') };
  else if (storeUrl.startsWith('sqlite:')) store = { kind: 'sqlite', path: resolve(cwd, storeUrl.slice('sqlite:'.length)) };
  else store = { kind: 'mongodb', url: new Secret(storeUrl) };

  const apiKey = str('ODOO_API_KEY');
  const odoo: OdooConfig | null = anyOdoo
    ? {
        url: str('ODOO_URL')!.replace(/\/+$/, ''),
        db: str('ODOO_DB')!,
        username: str('ODOO_USERNAME')!,
        credential: new Secret(apiKey ?? str('ODOO_PASSWORD')!),
        credentialKind: apiKey === undefined ? 'password' : 'api_key',
        protocol: (str('ODOO_PROTOCOL') as OdooProtocol | undefined) ?? 'auto',
      }
    : null;

  const secret = (v: ConfigVariable) => (str(v) === undefined ? null : new Secret(str(v)!));
  const smtpUrl = str('SMTP_URL');
  const fullAtHour = values['SYNC_FULL_AT_HOUR'] as number | 'any' | undefined;
  return {
    odoo,
    store,
    host: str('HOST') ?? '127.0.0.1',
    port: int('PORT') ?? 3000,
    dataDir,
    syncIntervalMinutes: int('SYNC_INTERVAL_MINUTES') ?? 15,
    alertAfterFailures: int('ALERT_AFTER_FAILURES') ?? 3,
    syncConcurrency: int('SYNC_CONCURRENCY') ?? 2,
    syncEntities: (values['SYNC_ENTITIES'] as EntityName[] | undefined) ?? [...SERVER_ENTITY_NAMES],
    smtp: smtpUrl === undefined ? null : { url: new Secret(smtpUrl), from: str('ALERT_FROM')! },
    syncFullEveryHours: int('SYNC_FULL_EVERY_HOURS') ?? 24,
    syncPauseAfterHours: int('SYNC_PAUSE_AFTER_HOURS') ?? 24,
    syncDeletionSweepEveryHours: int('SYNC_DELETION_SWEEP_EVERY_HOURS') ?? 24,
    activityRetentionDays: int('ACTIVITY_RETENTION_DAYS') ?? 365,
    syncLogRetentionDays: int('SYNC_LOG_RETENTION_DAYS') ?? 90,
    syncFullAtHour: fullAtHour === 'any' ? null : (fullAtHour ?? 3),
    publicUrl: str('PUBLIC_URL')?.replace(/\/+$/, '') ?? null,
    timeZone: str('TIME_ZONE'),
    webhookSecret: secret('WEBHOOK_SECRET'),
    sessionSecret: secret('SESSION_SECRET'),
    ms365: anyMs365
      ? {
          clientId: str('MS365_CLIENT_ID')!,
          clientSecret: new Secret(str('MS365_CLIENT_SECRET')!),
          tenantId: str('MS365_TENANT_ID')!,
          redirectUri: str('MS365_REDIRECT_URI')!,
          allowedTenants: allowedTenantsOf(str('MS365_ALLOWED_TENANTS')),
          idleSignOutDays: int('MS365_IDLE_SIGN_OUT_DAYS') ?? 90,
          tokenKeys: new Secret(str('TOKEN_KEYS')!),
        }
      : null,
    autoApproveDomains: (str('AUTO_APPROVE_DOMAINS') ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .filter((d) => d !== ''),
    linkDomainAliases: (values['LINK_DOMAIN_ALIASES'] as Record<string, string> | undefined) ?? {},
    trustProxy: flag('TRUST_PROXY', false),
    linkAutomatically: flag('LINK_AUTOMATICALLY', true),
    linkEmployeeIdField: str('LINK_EMPLOYEE_ID_FIELD') ?? null,
    bootstrapAdminKey: secret('ODOO_SYNC_BOOTSTRAP_ADMIN_KEY'),
    bootstrapAdminEmail: str('ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL') ?? null,
    logLevel: (str('LOG_LEVEL') as LogLevel | undefined) ?? 'info',
    bodyLimitBytes: int('HTTP_BODY_LIMIT_BYTES') ?? 1024 * 1024,
    shutdownTimeoutMs: (int('SHUTDOWN_TIMEOUT_SECONDS') ?? 30) * 1000,
  };
}

/** One line per problem: `VARIABLE: what is wrong (example: VARIABLE=value)`. */
export function formatConfigError(error: ConfigError): string {
  const lines = error.issues.map((i) => `${i.path}: ${i.message}`);
  return [`odoo-sync: invalid configuration`, ...lines].join('\n');
}
