/**
 * The MongoDB server tests and the benchmark run against: a real MongoDB when `MONGODB_URI` is
 * set, otherwise jongodb (a MongoDB wire-protocol server shipped as a binary in the optional
 * dependency `@jongodb/memory-server-bin-linux-x64-gnu`) started as a child process on a port
 * chosen by the OS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MongoClient } from 'mongodb';
import { mongoCollectionNames } from '../src/collections.js';

const JONGODB_PACKAGE = '@jongodb/memory-server-bin-linux-x64-gnu';

/** Where the tests will find a server. */
export type ServerTarget =
  | { kind: 'mongodb'; uri: string }
  | { kind: 'jongodb'; binary: string }
  | { kind: 'none'; reason: string };

/** A started server. */
export interface TestServer {
  kind: 'mongodb' | 'jongodb';
  /** Connection string (no database path needed: stores take `dbName`). */
  uri: string;
  /** Process id of the server when the tests started it. */
  pid: number | null;
  /** Stops a server the tests started; nothing for MONGODB_URI. */
  stop(): Promise<void>;
}

/** The jongodb binary of the optional dependency, or `null` when it is not installed. */
export function jongodbBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve(`${JONGODB_PACKAGE}/package.json`);
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { jongodb?: { binary?: string } };
    const binary = join(dirname(pkgPath), pkg.jongodb?.binary ?? 'bin/jongodb');
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Decides the server from the environment, without starting anything. */
export function serverTarget(): ServerTarget {
  const uri = process.env['MONGODB_URI'];
  if (uri) return { kind: 'mongodb', uri };
  const binary = jongodbBinary();
  if (binary) return { kind: 'jongodb', binary };
  return {
    kind: 'none',
    reason: `MONGODB_URI is not set and the optional dependency ${JONGODB_PACKAGE} (jongodb) is not installed on this platform`,
  };
}

/** Starts jongodb on 127.0.0.1 with an OS-chosen port and resolves with its `JONGODB_URI`. */
export async function startJongodb(binary: string, timeoutMs = 30_000): Promise<TestServer> {
  const child: ChildProcess = spawn(binary, ['--host=127.0.0.1', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jongodb did not print JONGODB_URI within ${timeoutMs} ms: ${output.slice(-500)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /JONGODB_URI=(\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`jongodb exited (${String(code ?? signal)}) before it was ready: ${output.slice(-500)}`));
    });
  });
  // Keep draining the pipes so the server never blocks on a full buffer.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    kind: 'jongodb',
    uri,
    pid: child.pid ?? null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Starts (or points at) the server named by {@link serverTarget}. */
export async function startServer(target: ServerTarget): Promise<TestServer> {
  if (target.kind === 'mongodb') return { kind: 'mongodb', uri: target.uri, pid: null, stop: async () => {} };
  if (target.kind === 'jongodb') return startJongodb(target.binary);
  throw new Error(target.reason);
}

let counter = 0;

/** A database name no other test uses. */
export function freshDbName(prefix = 'odoo_sync_test'): string {
  counter++;
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Removes a test database. jongodb has no `dropDatabase`, so there every collection the store
 * may have written is emptied instead.
 */
export async function dropTestDatabase(client: MongoClient, dbName: string): Promise<void> {
  const db = client.db(dbName);
  try {
    await db.dropDatabase();
  } catch (err) {
    if ((err as { code?: unknown }).code !== 59) throw err; // 59: CommandNotFound (jongodb)
    for (const name of mongoCollectionNames()) await db.collection(name).deleteMany({});
  }
}

export { MongoClient };
