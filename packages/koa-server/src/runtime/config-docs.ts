/**
 * What each configuration variable means, for people: the source of the variable tables in
 * docs/configuration.md and of `.env.example` (`pnpm docs:config` writes both; a test keeps
 * them in step). Every variable of {@link CONFIG_VARIABLES} must be documented here.
 * @module
 */
import { Reconciler, SyncScheduler } from '@odoo-sync/core';
import { CONFIG_VARIABLES, type ConfigVariable, SECRET_VARIABLES } from './config.js';

/** How one variable is documented. */
export interface VariableDoc {
  /** Default, as users write it (`null`: unset by default). */
  default: string | null;
  /** What it does (Markdown, one paragraph). */
  doc: string;
}

/** A group of variables, with an optional paragraph before its table (Markdown). */
export interface ConfigSection {
  /** Heading. */
  title: string;
  /** Text before the table. */
  intro?: string;
  /** Text after the table. */
  outro?: string;
  /** The variables, in table order. */
  variables: Partial<Record<ConfigVariable, VariableDoc>>;
}

/** Every variable, by section. */
export const CONFIG_SECTIONS: readonly ConfigSection[] = [
  {
    title: 'Odoo',
    variables: {
      ODOO_URL: { default: null, doc: 'Base URL of Odoo, `http(s)://…` (e.g. `https://acme.odoo.com`). **When unset, the server syncs from the built-in Odoo simulator** with generated data and logs a warning: that is the demo, not production.' },
      ODOO_DB: { default: null, doc: 'Database name. Required with `ODOO_URL`. A name Odoo does not have fails every run with `odoo_auth_failed` saying `Odoo has no database "…"` (with either protocol).' },
      ODOO_USERNAME: { default: null, doc: 'Login of the Odoo user the sync reads as. Required with `ODOO_URL`. Give it read access to `res.partner`, `crm.lead`, `account.move`, `hr.employee`, `res.users`.' },
      ODOO_API_KEY: { default: null, doc: 'API key of that user (Odoo: Preferences → Account Security → New API key). Preferred; required for JSON-2.' },
      ODOO_PASSWORD: { default: null, doc: "The user's password, when there is no API key (XML-RPC only; impossible with 2FA). One of `ODOO_API_KEY`/`ODOO_PASSWORD` is required with `ODOO_URL`." },
      ODOO_PROTOCOL: { default: 'auto', doc: '`auto`, `xmlrpc` or `json2`. `auto` uses JSON-2 (Odoo 19 and later) when the server has it and an API key is set, XML-RPC otherwise. XML-RPC exists up to Odoo 19, where it is deprecated; Odoo has announced its removal for Odoo 22.' },
    },
  },
  {
    title: 'Store',
    variables: {
      STORE_URL: { default: 'sqlite:<ODOO_SYNC_DATA_DIR>/odoo-sync.db', doc: '`sqlite:<path>` (relative to the working directory; the directory is created) or a `mongodb://` / `mongodb+srv://` URI whose path names the database (`mongodb://db:27017/data_lake_serving`; without one, `data_lake_serving`). It may hold a password.' },
      ODOO_SYNC_DATA_DIR: { default: './.odoo-sync', doc: "Where local files go: the default SQLite file, and the demo's `demo.db` and `demo-admin-key`. Created `0700` when missing; the files in it are created `0600`." },
    },
  },
  {
    title: 'HTTP',
    variables: {
      HOST: { default: '127.0.0.1', doc: 'Interface to listen on. `0.0.0.0` in a container.' },
      PORT: { default: '3000', doc: 'Port, 0–65535 (0: any free port).' },
      HTTP_BODY_LIMIT_BYTES: { default: '1048576', doc: 'Largest request body; larger answers 413. 1 KiB – 100 MiB.' },
      SHUTDOWN_TIMEOUT_SECONDS: { default: '30', doc: 'How long a shutdown waits for the running sync to reach a checkpoint and for requests to finish, 1–3600.' },
      LOG_LEVEL: { default: 'info', doc: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. (`demo` defaults to `warn`.)' },
      TRUST_PROXY: { default: 'false', doc: '`true` behind a reverse proxy that sets `X-Forwarded-Proto`/`-Host`/`-For`: session cookies are then `Secure` when the proxy says the request came over HTTPS. Leave `false` when clients reach the server directly (they could forge the headers).' },
    },
  },
  {
    title: 'Sync and alerts',
    variables: {
      SYNC_INTERVAL_MINUTES: { default: '15', doc: `Minutes between scheduled runs, ${SyncScheduler.INTERVAL_MINUTES.min}–${SyncScheduler.INTERVAL_MINUTES.max}.` + ' An interval set at runtime with `PUT /api/sync/settings` is stored and **wins** over this variable, for every replica.' },
      SYNC_CONCURRENCY: { default: '2', doc: `Entities synced at the same time within a run, ${Reconciler.CONCURRENCY.min}–${Reconciler.CONCURRENCY.max}.` + ' Each entity still reads its pages one after the other; against a remote Odoo, 2–3 shorten a run almost in proportion (see performance.md). Use 1 to put the least load on a small Odoo.' },
      SYNC_FULL_EVERY_HOURS: { default: '24', doc: "Hours between **scheduled full reconciles**, 0–8760; `0` turns them off. A full run reads every record instead of the changes only, and puts right what Odoo changes without touching `write_date` (a deleted partner leaves its opportunities pointing at nothing; a renamed linked record). It is an ordinary scheduled run (trigger `schedule`) whose mode is `full`; the sync logs and `GET /api/sync/status` (`lastFullRunAt`, `nextFullRunAt`) show it. Shared by the replicas: any full run of every entity (also one started by hand) restarts the count." },
      SYNC_FULL_AT_HOUR: { default: '3', doc: 'Local hour (0–23, in `TIME_ZONE`) at which the scheduled full run falls: the first scheduled run from that hour on, on the day nearest to `SYNC_FULL_EVERY_HOURS` after the last full run. `any` runs it as soon as it is due. Used when `SYNC_FULL_EVERY_HOURS` is 24 or more. Pick the quietest hour of your Odoo.' },
      SYNC_DELETION_SWEEP_EVERY_HOURS: { default: '24', doc: "Longest time in hours, 0–8760, between two **deletion sweeps** of an entity (reading every id in Odoo to find the records deleted there). An incremental run sweeps only when Odoo's count of the entity and the store's differ (or something else says a deletion could hide), and at least this often whatever the counts say; a full run always sweeps. `0` sweeps in every run. Each sync log entry says whether its run swept and why (`sweep`)." },
      SYNC_PAUSE_AFTER_HOURS: { default: '24', doc: 'Hours of failed runs in a row (from the first failure) after which **scheduled runs pause**, 0–8760; `0` never pauses. Admins get one e-mail; the status and the dashboard say "paused"; manual runs still work. An admin resumes with `POST /api/sync/resume` or `odoo-sync sync resume`; a successful run resumes too.' },
      ACTIVITY_RETENTION_DAYS: { default: '365', doc: 'Days the **activity timeline** keeps an entry, 0–36500; `0` keeps them forever. Older entries are deleted when the scheduler starts and then once a day (in every replica; the delete is idempotent).' },
      SYNC_LOG_RETENTION_DAYS: { default: '90', doc: 'Days **sync-log entries** are kept, 0–36500; `0` keeps them forever. Purged with the activities, when the scheduler starts and then once a day. The status page needs only the recent runs.' },
      TIME_ZONE: { default: "the server's", doc: "IANA time zone name (`Europe/Brussels`, `UTC`) of the times in alert e-mails and of `SYNC_FULL_AT_HOUR`. Without it, the server's local time zone (`TZ`)." },
      SYNC_ENTITIES: { default: 'every entity', doc: 'Which entities this server syncs: a comma-separated list (`account,contact,opportunity`), or the ones to leave out (`-invoice`), not both. Entities: `odoo_user`, `employee`, `account`, `contact`, `opportunity`, `invoice`, and Odoo\'s own activity on opportunities and partners: `mail_activity` (scheduled calls, e-mails, meetings, to-dos) and `mail_message` (notes, discussions, e-mails), which also feed the activity timeline (see activities.md). The others are neither scheduled, run by hand (422) nor fed by webhooks, and leave the status page; their records already stored stay as they are.' },
      ALERT_AFTER_FAILURES: { default: '3', doc: 'Failed runs in a row before the admins get one alert e-mail (and one more on recovery), 1–100.' },
      SMTP_URL: { default: null, doc: '`smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465`. Without it, alerts are only logged (at `error`).' },
      ALERT_FROM: { default: null, doc: 'Sender of alert e-mails, e.g. `odoo-sync <alerts@acme.com>`. Required with `SMTP_URL`.' },
      PUBLIC_URL: { default: null, doc: 'The URL people open this server at, e.g. `https://crm.acme.com`. Alert e-mails name it as the deployment that sent them and link to the dashboard (`<PUBLIC_URL>/`) and the sync logs. Without it, alerts name the host and carry no links.' },
    },
    outro:
      'Alerts go to every **approved admin** user (one message each, plain text and HTML), except the placeholder address `admin@odoo-sync.local` of the bootstrap admin (see `ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL`): which deployment, the error and its code, the error\'s own hint, what to do about that kind of error (a rejected API key and an unreachable Odoo get different advice), since when it fails, and links when `PUBLIC_URL` is set.',
  },
  {
    title: 'Secrets and access',
    variables: {
      WEBHOOK_SECRET: { default: null, doc: 'The secret path segment of `POST /api/sync/webhook/<secret>`: at least 16 characters of `A–Z a–z 0–9 . _ ~ -` (e.g. `openssl rand -hex 24`). Without it every webhook call answers 404.' },
      SESSION_SECRET: { default: null, doc: 'At least 32 characters; signs the session cookies of the Microsoft 365 sign-in. Required with it.' },
      ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: { default: null, doc: 'At least 24 characters, no spaces. At start, when no valid API key has this value, it is stored (hashed) as an admin key of `ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL` (created approved). Lets a fresh deployment be used without running `apikey create`. Revoking it is permanent (a warning is logged while the variable stays set).' },
      ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL: { default: 'admin@odoo-sync.local', doc: "The address of the bootstrap key's admin. The default is a placeholder no mail server accepts: that admin gets no alert e-mails, and the server warns at start when alerts are on. Setting it later gives the existing placeholder admin this address." },
    },
  },
  {
    title: 'Microsoft 365 sign-in',
    intro:
      'Optional. When `MS365_CLIENT_ID`, `MS365_CLIENT_SECRET`, `MS365_TENANT_ID` and `MS365_REDIRECT_URI` are set (all four, plus `TOKEN_KEYS` and `SESSION_SECRET`), people sign in with Microsoft 365 at `/api/auth/login`; otherwise those routes answer 404 `ms365_not_configured` and only API keys authenticate. Registration steps and details: [ms365.md](ms365.md).',
    variables: {
      MS365_CLIENT_ID: { default: null, doc: 'Application (client) ID of the Entra ID app registration.' },
      MS365_CLIENT_SECRET: { default: null, doc: 'A client secret of that registration.' },
      MS365_TENANT_ID: { default: null, doc: 'Directory (tenant) ID: only accounts of that tenant sign in. Or `organizations`/`common` with `MS365_ALLOWED_TENANTS`.' },
      MS365_ALLOWED_TENANTS: { default: null, doc: 'Comma-separated tenant IDs (GUIDs) whose accounts may sign in. Required when `MS365_TENANT_ID` is not a GUID; the server refuses to start without it.' },
      MS365_IDLE_SIGN_OUT_DAYS: { default: '90', doc: 'Days without any use of the app after which a person\'s stored Microsoft tokens are deleted (1–90). Tokens are refreshed only for people with a live session, and deleted at once when an admin rejects them.' },
      MS365_REDIRECT_URI: { default: null, doc: 'The registered **Web** redirect URI: `https://<your host>/api/auth/callback` (`http://` only for `localhost`).' },
      TOKEN_KEYS: { default: null, doc: '`k2:<base64>,k1:<base64>`: keys (32 random bytes each, the first current) that encrypt the stored Microsoft tokens. Errors name the entry, never the key.' },
      AUTO_APPROVE_DOMAINS: { default: null, doc: 'Comma-separated domains (`acme.com,acme.eu`) whose new users are approved at their first sign-in, compared with the domain of their Microsoft 365 sign-in name (members of the tenant only); others wait for an admin. The first user becomes admin when there is no approved admin.' },
      LINK_DOMAIN_ALIASES: { default: null, doc: 'Comma-separated `alias=canonical` e-mail domains (`acme.eu=acme.com,mail.acme.com=acme.com`) whose mailboxes are the same: linking to Odoo (self-service and the admin search) takes `ana@acme.eu` for `ana@acme.com`. Only list domains that really share mailboxes. Refused: items without `=`, empty sides, anything that is not a bare domain, a domain mapped to itself or to two domains, and chains (a canonical domain that is itself an alias: write `a=c`, not `a=b,b=c`). The message quotes the bad item. See [linking.md](linking.md).' },
      LINK_EMPLOYEE_ID_FIELD: { default: null, doc: 'The `hr.employee` field that holds the employee id Microsoft Entra has for each person (their `employeeId`), e.g. `identification_id` or `barcode`. The server then reads that field from Odoo and links a person whose Microsoft 365 employee id equals it exactly (after their e-mail, before their name). The server refuses to start when Odoo says the field does not exist. The Odoo user of the sync must be allowed to read it (these fields are for HR officers in Odoo). See [linking.md](linking.md).' },
      LINK_AUTOMATICALLY: { default: 'true', doc: 'Link approved people to their Odoo user and employee on their own: at Microsoft 365 sign-in, and when an admin approves them, a person with no link yet is matched (e-mail and the aliases Microsoft 365 lists for them, then employee id with `LINK_EMPLOYEE_ID_FIELD`, then name, then salesperson) and linked when exactly one person fits; otherwise they stay unlinked, without an error. `false`: only `POST /api/auth/relink-odoo` and admins link. See [linking.md](linking.md).' },
    },
  },
];

/** Variables of {@link CONFIG_VARIABLES} that no section documents (a test keeps this empty). */
export function undocumentedVariables(): ConfigVariable[] {
  const documented = new Set(CONFIG_SECTIONS.flatMap((section) => Object.keys(section.variables)));
  return (Object.keys(CONFIG_VARIABLES) as ConfigVariable[]).filter((name) => !documented.has(name));
}

function entries(section: ConfigSection): [ConfigVariable, VariableDoc][] {
  return Object.entries(section.variables) as [ConfigVariable, VariableDoc][];
}

/** The variable tables of docs/configuration.md (Markdown, from `## <first section>` on). */
export function renderConfigTables(): string {
  const parts: string[] = [];
  for (const section of CONFIG_SECTIONS) {
    parts.push(`## ${section.title}\n`);
    if (section.intro) parts.push(`${wrap(section.intro, 96).join('\n')}\n`);
    parts.push('| variable | default | what |\n|---|---|---|');
    for (const [name, doc] of entries(section)) {
      const secret = SECRET_VARIABLES.includes(name) ? ' Secret: never printed.' : '';
      parts.push(`| \`${name}\` | ${doc.default === null ? '—' : doc.default.includes(' ') ? doc.default : `\`${doc.default}\``} | ${doc.doc}${secret} |`);
    }
    parts.push('');
    if (section.outro) parts.push(`${wrap(section.outro, 96).join('\n')}\n`);
  }
  return parts.join('\n');
}

/** Markdown made plain for a comment: no backticks, bold or links. */
function plain(markdown: string): string {
  return markdown.replace(/\*\*/g, '').replace(/`/g, '').replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 (docs/$2)');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `.env.example`: every variable, commented out, with what it does and an example value. */
export function renderEnvExample(): string {
  const out: string[] = [
    '# odoo-sync server configuration: copy to .env (next to where you start the server) and',
    '# uncomment what you need. Variables set in the environment win over this file; an empty',
    '# value counts as unset. Every variable is described in docs/configuration.md.',
    '# Generated by `pnpm docs:config` — edit packages/koa-server/src/runtime/config-docs.ts instead.',
  ];
  for (const section of CONFIG_SECTIONS) {
    out.push('', `# ${'='.repeat(94)}`, `# ${section.title}`, `# ${'='.repeat(94)}`);
    if (section.intro) out.push(...wrap(plain(section.intro), 94).map((l) => `# ${l}`));
    for (const [name, doc] of entries(section)) {
      const secret = SECRET_VARIABLES.includes(name) ? ' Secret.' : '';
      const fallback = doc.default === null ? '' : ` Default: ${doc.default}.`;
      out.push('', ...wrap(`${plain(doc.doc)}${fallback}${secret}`, 94).map((l) => `# ${l}`), `# ${name}=${CONFIG_VARIABLES[name]}`);
    }
  }
  return `${out.join('\n')}\n`;
}
