/**
 * Real `odoo-sync` processes (the CLI run from sources with tsx), killed and restarted by the
 * scenarios, and the few HTTP calls the scenarios make to them.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { ENTITY_NAMES } from '@odoo-sync/core';

/** `SYNC_ENTITIES` of the servers under test: the six built-in entities. */
export const BUILT_IN_SYNC_ENTITIES = ENTITY_NAMES.join(',');

const ROOT = resolve(import.meta.dirname, '../../..');
// tsx's loader inside the server's own node process: the `tsx` command would run the server as
// its child, and a SIGKILL of the `tsx` process would leave the server running, orphaned.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const CLI = join(ROOT, 'packages/koa-server/src/cli/cli.ts');
const SKEW = pathToFileURL(join(import.meta.dirname, 'skewed-clock.mjs')).href;

/** The bootstrap admin API key every scenario's server gets. */
export const ADMIN_KEY = 'fault-suite-admin-key-0123456789abcdef';
/** The webhook secret every scenario's server gets. */
export const WEBHOOK_SECRET = 'fault-suite-webhook-secret-0123';

/** Where a server process syncs from and to. */
export interface ServerSetup {
  /** Odoo base URL (the simulator, or a proxy in front of it). */
  odooUrl: string;
  /** Odoo database. */
  db: string;
  /** Odoo login. */
  username: string;
  /** Odoo API key. */
  apiKey: string;
  /** The SQLite file. */
  storePath: string;
  /** Working directory (the data directory lives there). */
  dir: string;
  /** This process's clock runs this many ms ahead (negative: behind) of the machine's. */
  clockOffsetMs?: number;
  /** More environment variables. */
  env?: Record<string, string>;
}

/** A running `odoo-sync serve`. */
export interface ServerProcess {
  /** Its base URL. */
  url: string;
  /** The child process. */
  child: ChildProcess;
  /** Resolves with the exit code (or null after a signal). */
  exit: Promise<number | null>;
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
}

function environment(setup: ServerSetup): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    ODOO_URL: setup.odooUrl,
    ODOO_DB: setup.db,
    ODOO_USERNAME: setup.username,
    ODOO_API_KEY: setup.apiKey,
    STORE_URL: `sqlite:${setup.storePath}`,
    HOST: '127.0.0.1',
    PORT: '0',
    ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    WEBHOOK_SECRET,
    // No scheduled run inside a scenario: every run is the startup run or asked for.
    SYNC_INTERVAL_MINUTES: '60',
    // The fault suites check the six built-in entities against Odoo; Odoo's chatter has tests of its own.
    SYNC_ENTITIES: BUILT_IN_SYNC_ENTITIES,
    LOG_LEVEL: 'info',
    ...(setup.clockOffsetMs ? { FAULTS_CLOCK_OFFSET_MS: String(setup.clockOffsetMs) } : {}),
    ...setup.env,
  };
}

/** Every process started here, so a test's `afterEach` can kill what is left. */
const started = new Set<ChildProcess>();

/** Runs the CLI with these arguments. */
export function spawnCli(setup: ServerSetup, args: string[]): ChildProcess {
  const node = ['--import', TSX_LOADER, ...(setup.clockOffsetMs ? ['--import', SKEW] : []), '--conditions=@odoo-sync/source'];
  const child = spawn(process.execPath, [...node, CLI, ...args], { cwd: setup.dir, env: environment(setup), stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** Starts `odoo-sync serve` and resolves once it listens. */
export async function startServe(setup: ServerSetup): Promise<ServerProcess> {
  const child = spawnCli(setup, ['serve']);
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(event);
      if (event['msg'] === 'odoo-sync listening' && typeof event['url'] === 'string') resolveUrl(event['url']);
    });
    child.once('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}) before listening: ${stderr.slice(-2000)}`)));
  });
  return { url, child, exit, logs };
}

/** SIGKILLs a process and waits until it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

/** SIGKILLs every process a scenario left running (for `afterEach`). */
export async function killAll(): Promise<void> {
  await Promise.all([...started].map((child) => killHard(child)));
}

/** An answer of the server's API. */
export interface ApiAnswer {
  status: number;
  json: any;
}

/** Calls the server's API as the bootstrap admin. */
export async function api(url: string, path: string, init: { method?: string; body?: unknown; key?: string | null } = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (init.key !== null) headers['authorization'] = `Bearer ${init.key ?? ADMIN_KEY}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** Polls `check` until it holds, or throws after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the server runs no sync. */
export async function waitIdle(url: string, timeoutMs = 90_000): Promise<void> {
  await waitFor(async () => {
    const status = await api(url, '/api/sync/status');
    return status.status === 200 && status.json.running === false;
  }, timeoutMs, `${url} to be idle`);
}

/** Log entries of one run (one per entity once it has finished). */
export async function runLogs(url: string, runId: string): Promise<Array<{ entity: string; status: string; trigger: string; error?: { code: string } | null }>> {
  const logs = await api(url, `/api/sync/logs?runId=${encodeURIComponent(runId)}&limit=100`);
  return logs.json.items;
}

/** A run's log entries once every entity has one. */
export type RunEntries = Array<{ entity: string; status: string; trigger: string; error?: { code: string; message?: string } | null }>;

/** Starts a run through the API (expects 202) and waits for its end; returns its log entries. */
export async function runAndWait(url: string, body: { mode?: 'full' | 'incremental'; force?: boolean; entity?: string } = {}, entityCount = 6): Promise<{ runId: string; entries: RunEntries }> {
  const started = await api(url, '/api/sync/run', { method: 'POST', body });
  if (started.status !== 202) throw new Error(`POST /api/sync/run answered ${started.status}: ${JSON.stringify(started.json)}`);
  const runId = started.json.runId as string;
  let entries: RunEntries = [];
  await waitFor(async () => {
    entries = await runLogs(url, runId);
    return entries.length >= entityCount;
  }, 90_000, `run ${runId} to end`);
  await waitIdle(url);
  return { runId, entries };
}
