/**
 * The shape of the server's configuration, as `loadConfig` returns it.
 * @module
 */
import type { EntityName } from '@odoo-sync/core';
import type { Secret } from '../secret.js';

/** How the Odoo adapter talks to Odoo. */
export type OdooProtocol = 'auto' | 'xmlrpc' | 'json2';

/** Log levels understood by the server's logger. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Connection to a real Odoo. */
export interface OdooConfig {
  /** Base URL, e.g. `https://acme.odoo.com`. */
  url: string;
  /** Database name. */
  db: string;
  /** Login of the Odoo user the sync reads as. */
  username: string;
  /** The API key (preferred) or password. */
  credential: Secret;
  /** Which of the two `credential` is. */
  credentialKind: 'api_key' | 'password';
  /** Transport. */
  protocol: OdooProtocol;
}

/** Where synced data goes. */
export type StoreConfig =
  | {
      /** Embedded SQLite file. */
      kind: 'sqlite';
      /** Absolute path of the database file. */
      path: string;
    }
  | {
      /** MongoDB. */
      kind: 'mongodb';
      /** The connection URI (may hold a password). */
      url: Secret;
    };

/** Outgoing e-mail for alerts. */
export interface SmtpConfig {
  /** `smtp://user:pass@host:587` or `smtps://…`. */
  url: Secret;
  /** Sender address of alert e-mails. */
  from: string;
}

/** Microsoft 365 sign-in (an Entra ID app registration of platform Web). */
export interface Ms365Config {
  /** Application (client) id. */
  clientId: string;
  /** A client secret of the app registration. */
  clientSecret: Secret;
  /** Directory (tenant) id: a GUID, or `organizations`/`common` with {@link Ms365Config.allowedTenants}. */
  tenantId: string;
  /** `MS365_ALLOWED_TENANTS` (lower case): the tenants that may sign in when `tenantId` is not a GUID. @default [] */
  allowedTenants: string[];
  /** `MS365_IDLE_SIGN_OUT_DAYS`: days without use after which a person's Microsoft 365 tokens are deleted. @default 90 */
  idleSignOutDays: number;
  /** The registered Web redirect URI: `https://<host>/api/auth/callback`. */
  redirectUri: string;
  /** `TOKEN_KEYS`, validated: `k2:<base64>,k1:<base64>`, the current key first (parse with `parseKeyring`). */
  tokenKeys: Secret;
}

/** The validated configuration of the server. Secrets are {@link Secret}s: safe to log. */
export interface ServerConfig {
  /** Real Odoo, or `null` to run against the in-process simulator (a warning is logged). */
  odoo: OdooConfig | null;
  /** The store. */
  store: StoreConfig;
  /** Interface to listen on. @default '127.0.0.1' */
  host: string;
  /** Port to listen on (0: any free port). @default 3000 */
  port: number;
  /** Where local files go (default SQLite file, demo files). @default '<cwd>/.odoo-sync' */
  dataDir: string;
  /**
   * Initial sync interval in minutes (5–60). A value saved at runtime through
   * `PUT /api/sync/settings` wins over it. @default 15
   */
  syncIntervalMinutes: number;
  /** Failed runs in a row before admins get an alert e-mail. @default 3 */
  alertAfterFailures: number;
  /** Entities synced at the same time within a run (1–6; see the Reconciler's `concurrency`). @default 2 */
  syncConcurrency: number;
  /**
   * `SYNC_ENTITIES`: the entities this server syncs, in run order (the others are neither
   * scheduled, run by hand nor fed by webhooks). @default every entity
   */
  syncEntities: readonly EntityName[];
  /** Alert e-mail, or `null` to log alerts only. */
  smtp: SmtpConfig | null;
  /** `SYNC_FULL_EVERY_HOURS`: hours between scheduled full reconciles (0 = none). @default 24 */
  syncFullEveryHours: number;
  /** `SYNC_FULL_AT_HOUR`: local hour (in `timeZone`) of the scheduled full run; `null` (`any`): when due. @default 3 */
  syncFullAtHour: number | null;
  /**
   * `SYNC_DELETION_SWEEP_EVERY_HOURS`: longest time between two deletion sweeps of an entity
   * in incremental runs (0 = every run). @default 24
   */
  syncDeletionSweepEveryHours: number;
  /** `SYNC_PAUSE_AFTER_HOURS`: hours of failed runs in a row before scheduled runs pause (0 = never). @default 24 */
  syncPauseAfterHours: number;
  /** `ACTIVITY_RETENTION_DAYS`: days activities are kept (0 = forever). @default 365 */
  activityRetentionDays: number;
  /** `SYNC_LOG_RETENTION_DAYS`: days sync-log entries are kept (0 = forever). @default 90 */
  syncLogRetentionDays: number;
  /** `PUBLIC_URL`: where people open this server (links in alerts), without a trailing slash, or `null`. */
  publicUrl: string | null;
  /** `TIME_ZONE`: IANA time zone of alert times and `SYNC_FULL_AT_HOUR`; `undefined` is the server's. */
  timeZone: string | undefined;
  /** Secret part of the webhook URL, or `null` to disable webhooks. */
  webhookSecret: Secret | null;
  /** Secret that signs session cookies (used by the Microsoft 365 sign-in), or `null`. */
  sessionSecret: Secret | null;
  /** Microsoft 365 sign-in, or `null` when not configured (its routes answer 404). */
  ms365: Ms365Config | null;
  /** E-mail domains whose new users are approved at once (lower case). @default [] */
  autoApproveDomains: string[];
  /**
   * `LINK_DOMAIN_ALIASES`: alias domain → canonical domain (lower case), the `domainAliases` of
   * core's `prepareDirectory` for linking people to Odoo: `ana@acme.eu` then matches
   * `ana@acme.com`. No domain is both an alias and a canonical domain. @default {}
   */
  linkDomainAliases: Readonly<Record<string, string>>;
  /**
   * `LINK_AUTOMATICALLY` (default true): link approved people to their Odoo user and employee
   * at sign-in and when an admin approves them, when exactly one person fits.
   */
  linkAutomatically: boolean;
  /**
   * `LINK_EMPLOYEE_ID_FIELD`: the `hr.employee` field that holds Microsoft Entra's `employeeId`
   * (e.g. `identification_id`, `barcode`), matched exactly as one more piece of evidence when
   * linking; `null`: not used. @default null
   */
  linkEmployeeIdField: string | null;
  /** Trust `X-Forwarded-*` headers from a reverse proxy (cookies `Secure` behind TLS). @default false */
  trustProxy: boolean;
  /** An admin API key created at start when absent, or `null`. */
  bootstrapAdminKey: Secret | null;
  /**
   * `ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL`: the address of the admin that owns the bootstrap key, or
   * `null` for the placeholder `admin@odoo-sync.local`, which gets no alert e-mails.
   */
  bootstrapAdminEmail: string | null;
  /** Log level. @default 'info' */
  logLevel: LogLevel;
  /** Largest accepted request body in bytes. @default 1048576 */
  bodyLimitBytes: number;
  /** How long shutdown waits for a running sync to reach a checkpoint, in ms. @default 30000 */
  shutdownTimeoutMs: number;
}
