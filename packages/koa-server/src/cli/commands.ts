/**
 * The commands of the `odoo-sync` CLI: `serve`, `sync --once`, `sync resume`, `apikey create|list|revoke`, `demo`.
 * @module
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENTITY_NAMES, isEntityName, resumeSchedule, systemClock } from '@odoo-sync/core';
import { ConfigError, isOdooSyncError } from '@odoo-sync/core/errors';
import { generateApiKey, issueApiKey, listAllApiKeys, revokeApiKeyById } from '../auth/api-keys.js';
import { formatConfigError, loadConfig, type ServerConfig } from '../runtime/config.js';
import { createLogger, type ServerLogger } from '../runtime/logger.js';
import { createSyncEngine, openStore, PRIVATE_DIR_MODE, startServer, type RunningServer, type StartServerOptions } from '../runtime/composition.js';
import { Secret } from '../secret.js';
import { VERSION } from '../version.js';

/** Exit codes of the CLI. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The command ran and failed (a sync run failed, the store refused). */
  failure: 1,
  /** Wrong arguments. */
  usage: 2,
  /** Bad configuration (sysexits' EX_CONFIG). */
  config: 78,
} as const;

/** Where the CLI reads and writes. */
export interface CliIo {
  /** Environment variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** Working directory (relative paths and `.env`). */
  cwd: string;
  /** Normal output. */
  stdout: (text: string) => void;
  /** Diagnostics. */
  stderr: (text: string) => void;
}

/** What a command left running (`serve`, `demo`), or its exit code. */
export type CliOutcome = { code: number } | { running: RunningServer };

/** The usage text. */
export const USAGE = `odoo-sync ${VERSION} — keeps a database in step with Odoo and serves it

Usage:
  odoo-sync [serve]                                   start the API and the scheduler
  odoo-sync sync --once [--entity E] [--full] [--force]
                                                      run one sync and exit (0 when it succeeded)
  odoo-sync sync resume                               resume scheduled runs paused after a long failure streak
  odoo-sync apikey create --email E --role admin|user create an API key (printed once)
  odoo-sync apikey list [--json]                      every API key: id, owner, label, dates (never the key)
  odoo-sync apikey revoke <id>                        revoke a key at once, on every replica
  odoo-sync demo                                      Odoo simulator + SQLite + server, first sync, prints a key
  odoo-sync --help | --version

Configuration comes from environment variables and an optional .env file
(ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY, STORE_URL, HOST, PORT, ...).
Entities: ${ENTITY_NAMES.join(', ')}.
`;

function usageError(io: CliIo, message: string): CliOutcome {
  io.stderr(`odoo-sync: ${message}\n\n${USAGE}`);
  return { code: EXIT.usage };
}

function config(io: CliIo): ServerConfig | null {
  try {
    return loadConfig(io.env, { cwd: io.cwd });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`${formatConfigError(err)}\n`);
      return null;
    }
    throw err;
  }
}

function stderrLogger(level: ServerConfig['logLevel']): ServerLogger {
  return createLogger({ level, destination: process.stderr });
}

function describeError(err: unknown): string {
  if (isOdooSyncError(err)) return `${err.code}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * `odoo-sync serve`. Syncs once right away (unless a replica synced less than half an interval
 * ago), so a fresh deployment or a restart after downtime does not serve stale data for a whole
 * interval.
 */
export async function serveCommand(io: CliIo, options: StartServerOptions = {}): Promise<CliOutcome> {
  const cfg = config(io);
  if (!cfg) return { code: EXIT.config };
  const running = await startServer(cfg, { ...options, scheduler: { runOnStart: true, ...options.scheduler } });
  return { running };
}

/** `odoo-sync sync --once [--entity E] [--full] [--force]`. */
export async function syncCommand(args: string[], io: CliIo, options: Pick<StartServerOptions, 'source' | 'simulator' | 'reconciler'> = {}): Promise<CliOutcome> {
  if (args[0] === 'resume') return resumeCommand(args.slice(1), io);
  let values: { once?: boolean; entity?: string; full?: boolean; force?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { once: { type: 'boolean' }, entity: { type: 'string' }, full: { type: 'boolean' }, force: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  if (!values.once) return usageError(io, 'sync needs --once (the scheduler runs in `odoo-sync serve`).');
  if (values.entity !== undefined && !isEntityName(values.entity)) {
    return usageError(io, `unknown entity "${values.entity}"; expected one of ${ENTITY_NAMES.join(', ')}.`);
  }
  const cfg = config(io);
  if (!cfg) return { code: EXIT.config };
  if (values.entity !== undefined && !cfg.syncEntities.includes(values.entity)) {
    return usageError(io, `the entity "${values.entity}" is not synced here (SYNC_ENTITIES=${cfg.syncEntities.join(',')}).`);
  }
  const logger = stderrLogger(cfg.logLevel);
  const store = await openStore(cfg.store, logger);
  try {
    const engine = await createSyncEngine(cfg, store, { ...options, logger });
    try {
      const result = await engine.reconciler.run({
        ...(values.entity ? { entities: [values.entity] } : {}),
        mode: values.full ? 'full' : 'incremental',
        force: values.force === true,
        trigger: 'manual',
      });
      for (const entry of result.entries) {
        const c = entry.counts;
        const counts = `fetched=${c.fetched} inserted=${c.inserted} updated=${c.updated} archived=${c.archived} reactivated=${c.reactivated} deleted=${c.softDeleted} unchanged=${c.unchanged} invalid=${c.invalid}`;
        const why = entry.error ? ` — ${entry.error.code}: ${entry.error.message}` : entry.skipReason ? ` — ${entry.skipReason}` : '';
        const sweep = entry.sweep ? ` sweep=${entry.sweep.ran ? 'ran' : 'skipped'}(${entry.sweep.reason})` : '';
        io.stdout(`${entry.entity.padEnd(12)} ${entry.status.padEnd(8)} ${counts}${sweep}${why}\n`);
      }
      io.stdout(`run ${result.runId}: ${result.status}\n`);
      return { code: result.status === 'success' ? EXIT.ok : EXIT.failure };
    } finally {
      await engine.close();
    }
  } finally {
    await store.close();
  }
}

/** `odoo-sync sync resume`: ends a pause of scheduled runs (for every replica on the store). */
export async function resumeCommand(args: string[], io: CliIo): Promise<CliOutcome> {
  if (args.length > 0) return usageError(io, `sync resume takes no arguments (received ${args.join(' ')}).`);
  return withStore(io, async (store) => {
    const resumed = await resumeSchedule(store, systemClock.now());
    io.stdout(resumed ? 'Scheduled sync runs resumed.\n' : 'Scheduled sync runs were not paused.\n');
    return { code: EXIT.ok };
  });
}

/** `odoo-sync apikey create|list|revoke`. */
export async function apiKeyCommand(args: string[], io: CliIo): Promise<CliOutcome> {
  const [sub, ...rest] = args;
  if (sub === 'create') return apiKeyCreate(rest, io);
  if (sub === 'list') return apiKeyList(rest, io);
  if (sub === 'revoke') return apiKeyRevoke(rest, io);
  return usageError(io, 'expected `apikey create --email E --role admin|user`, `apikey list` or `apikey revoke <id>`.');
}

/** Opens the configured store for one command and closes it afterwards. */
async function withStore(io: CliIo, task: (store: Awaited<ReturnType<typeof openStore>>) => Promise<CliOutcome>): Promise<CliOutcome> {
  const cfg = config(io);
  if (!cfg) return { code: EXIT.config };
  const store = await openStore(cfg.store, stderrLogger(cfg.logLevel));
  try {
    return await task(store);
  } catch (err) {
    io.stderr(`odoo-sync: ${describeError(err)}\n`);
    return { code: EXIT.failure };
  } finally {
    await store.close();
  }
}

async function apiKeyCreate(args: string[], io: CliIo): Promise<CliOutcome> {
  let values: { email?: string; role?: string; label?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { email: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  if (!values.email) return usageError(io, '--email is required.');
  const role = values.role;
  if (role !== 'admin' && role !== 'user') return usageError(io, '--role must be admin or user.');
  return withStore(io, async (store) => {
    const issued = await issueApiKey(store, { email: values.email!, role, label: values.label ?? 'cli', clock: systemClock });
    io.stderr(
      `API key ${issued.record.id} created for ${issued.user.email} (${issued.user.role}${issued.userCreated ? ', new user' : ''}). ` +
        'It is shown once, below; only its hash is stored.\n',
    );
    io.stdout(`${issued.key}\n`);
    return { code: EXIT.ok };
  });
}

async function apiKeyList(args: string[], io: CliIo): Promise<CliOutcome> {
  let values: { json?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  return withStore(io, async (store) => {
    const keys = await listAllApiKeys(store);
    if (values.json) {
      io.stdout(`${JSON.stringify(keys, null, 2)}\n`);
      return { code: EXIT.ok };
    }
    const rows = [
      ['ID', 'OWNER', 'ROLE', 'LABEL', 'CREATED', 'LAST USED', 'STATUS'],
      ...keys.map((k) => [k.id, k.email, k.role, k.label, k.createdAt, k.lastUsedAt ?? 'never', k.revokedAt ? `revoked ${k.revokedAt}` : 'active']),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows) io.stdout(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
    if (keys.length === 0) io.stderr('No API keys yet: `odoo-sync apikey create --email E --role admin` makes one.\n');
    return { code: EXIT.ok };
  });
}

async function apiKeyRevoke(args: string[], io: CliIo): Promise<CliOutcome> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true }));
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  if (positionals.length !== 1) return usageError(io, 'expected `apikey revoke <id>` with one key id (see `apikey list`).');
  return withStore(io, async (store) => {
    const { key, revokedNow } = await revokeApiKeyById(store, positionals[0]!, systemClock);
    io.stdout(
      revokedNow
        ? `API key ${key.id} of ${key.email} (${key.label}) revoked; it stops working now on every replica.\n`
        : `API key ${key.id} of ${key.email} (${key.label}) was already revoked at ${key.revokedAt}.\n`,
    );
    return { code: EXIT.ok };
  });
}

/** Where the demo keeps its admin key when `ODOO_SYNC_BOOTSTRAP_ADMIN_KEY` is not set. */
export const DEMO_KEY_FILE = 'demo-admin-key';

/** How much data the demo's simulator generates. */
export const DEMO_COUNTS = { partners: 300, opportunities: 150, invoices: 150, employees: 25, users: 10 } as const;

/** `odoo-sync demo`: simulator + SQLite under the data directory + server + first sync. */
export async function demoCommand(io: CliIo, options: StartServerOptions = {}): Promise<CliOutcome> {
  const cfg = config(io);
  if (!cfg) return { code: EXIT.config };
  mkdirSync(cfg.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  let key = cfg.bootstrapAdminKey?.reveal();
  if (!key) {
    const file = join(cfg.dataDir, DEMO_KEY_FILE);
    if (existsSync(file)) key = readFileSync(file, 'utf8').trim();
    if (!key) {
      key = generateApiKey();
      writeFileSync(file, `${key}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
  }
  const baseConfig: ServerConfig = {
    ...cfg,
    odoo: null,
    store: { kind: 'sqlite', path: join(cfg.dataDir, 'demo.db') },
    bootstrapAdminKey: new Secret(key),
    logLevel: io.env['LOG_LEVEL'] ? cfg.logLevel : 'warn',
  };
  // Microsoft 365 sign-in without a tenant: a stand-in on loopback (unless MS365_* names a real one).
  // Loaded only by the demo: it pulls in MSAL, which `serve` without sign-in never needs.
  const { startDemoSignIn } = await import('./demo-sign-in.js');
  const signIn = await startDemoSignIn(baseConfig);
  const demoConfig = signIn?.config ?? baseConfig;
  let running: RunningServer;
  try {
    running = await startServer(demoConfig, {
      logger: options.logger ?? stderrLogger(demoConfig.logLevel),
      simulator: options.simulator ?? { seed: 1, counts: DEMO_COUNTS },
      ...(signIn ? signIn.options : {}),
      ...options,
    });
  } catch (err) {
    await signIn?.close();
    throw err;
  }
  if (signIn) {
    const close = running.close.bind(running);
    running = { ...running, close: async () => {
      await close();
      await signIn.close();
    } };
  }
  try {
    const result = await running.scheduler.runNow(undefined, { mode: 'full' });
    const counts = result.entries.map((e) => `${e.entity}: ${e.status} (${e.counts.inserted + e.counts.updated + e.counts.unchanged} records)`);
    const people = signIn ? await signIn.addPeople(running.store) : [];
    const width = Math.max(0, ...people.map((p) => p.name.length));
    const signInLines = signIn
      ? [
          `Sign in:    open ${running.url}/ and click "Sign in with Microsoft". A stand-in of Microsoft 365`,
          '            runs on this computer; its page lists these people (no password):',
          ...people.map((p) => `              ${p.name.padEnd(width)}  ${p.upn} — ${p.description}`),
          '',
        ]
      : [];
    io.stdout(
      [
        '',
        'odoo-sync demo is running — syncing from the built-in Odoo SIMULATOR (generated data), into SQLite.',
        '',
        `  API:        ${running.url}`,
        `  Dashboard:  ${running.url}/dashboard`,
        `  OpenAPI:    ${running.url}/api/openapi.json`,
        `  Admin key:  ${key}`,
        `  Data:       ${demoConfig.store.kind === 'sqlite' ? demoConfig.store.path : ''}`,
        '',
        `First sync ${result.status}: ${counts.join(', ')}.`,
        '',
        ...signInLines,
        `Try: curl -H "Authorization: Bearer ${key}" ${running.url}/api/sync/status`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    await running.close();
    throw err;
  }
  return { running };
}

/** Runs the CLI with `argv` (without `node` and the script). */
export async function runCli(argv: readonly string[], io: CliIo, options: StartServerOptions = {}): Promise<CliOutcome> {
  const [command = 'serve', ...args] = argv;
  try {
    switch (command) {
      case '--help':
      case '-h':
      case 'help':
        io.stdout(USAGE);
        return { code: EXIT.ok };
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return { code: EXIT.ok };
      case 'serve':
        if (args.length > 0) return usageError(io, `serve takes no arguments (received ${args.join(' ')}).`);
        return await serveCommand(io, options);
      case 'sync':
        return await syncCommand(args, io, options);
      case 'apikey':
        return await apiKeyCommand(args, io);
      case 'demo':
        if (args.length > 0) return usageError(io, `demo takes no arguments (received ${args.join(' ')}).`);
        return await demoCommand(io, options);
      default:
        return usageError(io, `unknown command "${command}".`);
    }
  } catch (err) {
    io.stderr(`odoo-sync: ${describeError(err)}\n`);
    return { code: EXIT.failure };
  }
}
