/**
 * The `odoo-sync` CLI as a real process, run from sources: node itself with tsx as a loader
 * (not the `tsx` command, which runs the server as a child of its own: a SIGKILL of the `tsx`
 * process would leave the server running, orphaned). Every process started here is SIGKILLed by
 * {@link killLeftovers} (call it in `afterEach`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const CLI = resolve(import.meta.dirname, '../src/cli/cli.ts');

/** A running CLI process. */
export interface CliProcess {
  /** The child process (node itself: its pid is the server's). */
  child: ChildProcess;
  /** Resolves with the exit code (`null` after a signal). */
  exit: Promise<number | null>;
  /** Every JSON log line on stdout so far. */
  lines: Array<Record<string, unknown>>;
  /** Everything on stdout so far. */
  stdout(): string;
  /** Everything on stderr so far. */
  stderr(): string;
}

/** How to run the CLI. */
export interface CliRun {
  /** Working directory. */
  cwd: string;
  /** The whole environment of the process (PATH and HOME are added). */
  env: NodeJS.ProcessEnv;
  /** More modules node loads first (`--import`), after tsx. */
  imports?: string[];
}

const started = new Set<ChildProcess>();

/** Runs `odoo-sync <args>`. */
export function runCli(args: string[], run: CliRun): CliProcess {
  const imports = [TSX_LOADER, ...(run.imports ?? [])].flatMap((m) => ['--import', m]);
  const child = spawn(process.execPath, [...imports, '--conditions=@odoo-sync/source', CLI, ...args], {
    cwd: run.cwd,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...run.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  const exit = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      started.delete(child);
      r(code);
    }),
  );
  const lines: Array<Record<string, unknown>> = [];
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a log line
    }
  });
  return { child, exit, lines, stdout: () => stdout, stderr: () => stderr };
}

/** Starts `odoo-sync serve`; `url` resolves once it logs that it listens (rejects if it exits first). */
export function serve(run: CliRun): CliProcess & { url: Promise<string> } {
  const cli = runCli(['serve'], run);
  const url = new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: cli.child.stdout! }).on('line', (line) => {
      try {
        const event = JSON.parse(line) as { msg?: unknown; url?: unknown };
        if (event.msg === 'odoo-sync listening' && typeof event.url === 'string') resolveUrl(event.url);
      } catch {
        // not a log line
      }
    });
    void cli.exit.then((code) => reject(new Error(`serve exited with ${String(code)}: ${cli.stderr()}`)));
  });
  // A test that never awaits `url` (the process is killed first) must not see an unhandled rejection.
  url.catch(() => undefined);
  return { ...cli, url };
}

/** SIGKILLs every process started here that is still running, and waits until they are gone. */
export async function killLeftovers(): Promise<void> {
  await Promise.all(
    [...started].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }),
  );
}
