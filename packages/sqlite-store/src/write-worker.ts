/**
 * A worker thread with its own connection to the store's file, which runs large write
 * transactions (a sync's pages of records) off the event loop: better-sqlite3 is synchronous,
 * so a write on the main thread stops everything else (reading the next page from Odoo,
 * answering HTTP) until it commits. Started on the first write it gets, stopped when idle.
 * @module
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@odoo-sync/core';
import { StoreError } from '@odoo-sync/core/errors';
import type { Param } from './sql.js';
import { toStoreError } from './driver-errors.js';
import { LARGE_STATEMENT_CHARS, LARGE_STATEMENT_LIMIT } from './record-upsert.js';

/** One statement of a transaction the worker runs: SQL text and its parameters. */
export type WriteOp = readonly [sql: string, params: readonly Param[]];

/** What the worker connection is opened with (the main connection's settings). */
export interface WriteWorkerOptions {
  path: string;
  synchronous: 'normal' | 'full';
  busyTimeoutMs: number;
  walAutocheckpointPages: number;
  journalSizeLimitBytes: number;
  logger: Logger;
  /**
   * How long the worker stays up without a write before it is stopped (its memory returned).
   * @default 2000
   */
  idleMs?: number;
}

type Reply = { id: number; ok: true; changes: number } | { id: number; ok: false; error: { name: string; code?: string; message: string } };

/**
 * The worker's code, plain CommonJS run with `eval: true`, so it needs no file of its own next
 * to the built package nor a TypeScript loader in tests. It loads the same better-sqlite3 the
 * package uses (its resolved path comes in `workerData`).
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs, fileMustExist: true });
  db.pragma('synchronous = ' + workerData.synchronous);
  db.pragma('foreign_keys = ON');
  db.pragma('wal_autocheckpoint = ' + workerData.walAutocheckpointPages);
  db.pragma('journal_size_limit = ' + workerData.journalSizeLimitBytes);
} catch (err) {
  db = undefined;
  var openError = err;
}
const statements = new Map();
// Large statements (a page's upsert: about 1 KB per row once prepared) are kept apart, the
// least recently used dropped first, as on the main connection.
const largeStatements = new Map();
function statement(sql) {
  if (sql.length > workerData.largeStatementChars) {
    let stmt = largeStatements.get(sql);
    if (stmt !== undefined) largeStatements.delete(sql);
    else {
      stmt = db.prepare(sql);
      if (largeStatements.size >= workerData.largeStatementLimit) largeStatements.delete(largeStatements.keys().next().value);
    }
    largeStatements.set(sql, stmt);
    return stmt;
  }
  let stmt = statements.get(sql);
  if (stmt === undefined) {
    if (statements.size >= 64) statements.clear();
    stmt = db.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt;
}
const transaction = db && db.transaction((ops) => {
  let changes = 0;
  for (const [sql, params] of ops) changes += statement(sql).run(...params).changes;
  return changes;
});
function failure(id, err) {
  const error = err instanceof Error ? err : new Error(String(err));
  return { id, ok: false, error: { name: error.name, code: typeof error.code === 'string' ? error.code : undefined, message: error.message } };
}
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    try { if (db) db.close(); } catch {}
    parentPort.close();
    return;
  }
  if (db === undefined) {
    parentPort.postMessage(failure(message.id, openError));
    return;
  }
  try {
    // A single statement commits on its own: SQLite then keeps no statement journal for it.
    const ops = message.ops;
    const changes = ops.length === 1 ? statement(ops[0][0]).run(...ops[0][1]).changes : transaction.immediate(ops);
    parentPort.postMessage({ id: message.id, ok: true, changes });
  } catch (err) {
    parentPort.postMessage(failure(message.id, err));
  }
});
`;

/** Where better-sqlite3 is, resolved from this package (ESM build, CJS build and sources alike). */
function driverPath(): string {
  const from = typeof __filename === 'string' ? __filename : import.meta.url;
  return createRequire(from).resolve('better-sqlite3');
}

/**
 * Runs write transactions in a worker thread, one at a time, in the order they were given.
 * Each {@link WriteWorker.run} resolves once its transaction has committed (or rejects with a
 * {@link StoreError}, the transaction rolled back).
 */
export class WriteWorker {
  readonly #options: WriteWorkerOptions;
  readonly #idleMs: number;
  #worker: Worker | null = null;
  readonly #pending = new Map<number, { resolve: (changes: number) => void; reject: (error: Error) => void; operation: string }>();
  #nextId = 1;
  #idleTimer: NodeJS.Timeout | null = null;
  #closed = false;
  /** The last transaction given, settled either way. */
  #last: Promise<unknown> = Promise.resolve();

  /** Nothing starts until the first {@link WriteWorker.run}. */
  constructor(options: WriteWorkerOptions) {
    this.#options = options;
    this.#idleMs = options.idleMs ?? 2000;
  }

  /** True while a transaction given to the worker has not finished. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** True while the worker thread is up (between a write and its idle stop). */
  get running(): boolean {
    return this.#worker !== null;
  }

  /**
   * Runs `ops` in one `IMMEDIATE` transaction on the worker's connection; resolves with the
   * rows they changed. `operation` names the call in errors.
   */
  run(operation: string, ops: readonly WriteOp[]): Promise<number> {
    if (this.#closed) return Promise.reject(new StoreError('The store is closed.', { retryable: false }));
    const worker = this.#start();
    const id = this.#nextId++;
    const result = new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, operation });
      worker.postMessage({ type: 'run', id, ops });
    });
    this.#last = result.catch(() => undefined);
    return result;
  }

  /** Waits for the transactions in flight, then stops the worker and its connection. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    // Transactions run in order: when the last one given has settled, all have.
    await this.#last;
    await this.#stop();
  }

  #start(): Worker {
    if (this.#idleTimer !== null) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = null;
    }
    if (this.#worker !== null) {
      this.#worker.ref();
      return this.#worker;
    }
    const { path, synchronous, busyTimeoutMs, walAutocheckpointPages, journalSizeLimitBytes } = this.#options;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: driverPath(),
        path,
        synchronous: synchronous === 'full' ? 'FULL' : 'NORMAL',
        busyTimeoutMs,
        walAutocheckpointPages,
        journalSizeLimitBytes,
        largeStatementChars: LARGE_STATEMENT_CHARS,
        largeStatementLimit: LARGE_STATEMENT_LIMIT,
      },
      // Its own small heap: it only holds one page of parameters at a time (a young generation
      // of 2 MB rather than V8's default 16+ keeps the thread at about 7 MB of RSS).
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 2 },
    });
    worker.on('message', (reply: Reply) => this.#settle(reply));
    worker.on('error', (error) => this.#failAll(worker, error));
    worker.on('exit', (code) => this.#failAll(worker, new Error(`the SQLite write worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.changes);
    else {
      const error = Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code });
      pending.reject(toStoreError(pending.operation, error));
    }
    if (this.#pending.size === 0) this.#idle();
  }

  /** Nothing in flight: let the process exit, and stop the worker if nothing comes for a while. */
  #idle(): void {
    const worker = this.#worker;
    if (worker === null) return;
    worker.unref();
    if (this.#closed) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.#pending.size === 0) void this.#stop();
    }, this.#idleMs);
    this.#idleTimer.unref();
  }

  /** The worker failed or exited: every transaction in flight fails (retryable: its rows were not committed). */
  #failAll(worker: Worker, cause: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    if (this.#pending.size === 0) return;
    this.#options.logger.warn({ path: this.#options.path, err: cause.message }, 'sqlite-store: the write worker stopped with writes in flight');
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject, operation } of pending) {
      reject(new StoreError(`SQLite ${operation} failed: the write worker stopped (${cause.message}); nothing of it was committed.`, { cause, retryable: true }));
    }
  }

  async #stop(): Promise<void> {
    if (this.#idleTimer !== null) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = null;
    }
    const worker = this.#worker;
    if (worker === null) return;
    this.#worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held until it has closed its connection: an idle worker is unref'd, and a caller awaiting
    // close() must not see the process exit under it.
    worker.ref();
    worker.postMessage({ type: 'close' });
    await exited;
  }
}
