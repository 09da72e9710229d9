/**
 * The connection every port file of the SQLite store shares: opening, configuring and
 * migrating the file, prepared statements, transactions, driver-error mapping and closing.
 * @module
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { EntityName, Logger } from '@odoo-sync/core';
import { StoreError } from '@odoo-sync/core/errors';
import { toStoreError } from './driver-errors.js';
import { declaredIndexes, indexedPathsByEntity } from './entity-indexes.js';
import { isSharedMode, preparePrivateFile } from './file-mode.js';
import { migrate } from './migrations.js';
import type { ResolvedSqliteStoreOptions } from './options.js';
import { LOWER_FUNCTION } from './record-query.js';
import { LARGE_STATEMENT_CHARS, LARGE_STATEMENT_LIMIT } from './record-upsert.js';
import type { Param } from './sql.js';
import { WriteWorker } from './write-worker.js';

/** An open better-sqlite3 database. */
export type Db = BetterSqlite3.Database;
/** A prepared statement; typed loosely on purpose: each port file maps its rows. */
export type Stmt = BetterSqlite3.Statement<Param[]>;

/** Dynamic statements kept per SQL text; past this many distinct texts the cache starts over. */
const STATEMENT_CACHE_LIMIT = 256;

/** The most a `-wal` file keeps on disk after a checkpoint: 64 MiB. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * One open SQLite database shared by the port files of a store: each port runs its SQL
 * through {@link SqliteConnection.call}, so every driver failure becomes a {@link StoreError}
 * and every call after {@link SqliteConnection.close} is refused the same way.
 */
export class SqliteConnection {
  /** Path of the database file (or `':memory:'`). */
  readonly path: string;
  #db: Db | null;
  readonly #logger: Logger;
  readonly #statements = new Map<string, Stmt>();
  readonly #largeStatements = new Map<string, Stmt>();
  /** Runs large record writes on a worker thread; `null` when the store writes on the event loop only. */
  readonly writer: WriteWorker | null;
  /** Per entity, the record paths with an index its definition declares (entity-indexes.ts). */
  readonly declaredPaths: ReadonlyMap<EntityName, ReadonlySet<string>>;

  /**
   * Opens (creating when missing), configures (WAL, `synchronous`, `busy_timeout`, foreign
   * keys) and migrates the database. Throws a {@link StoreError} when the file cannot be
   * opened, is not a SQLite database, or was written by a newer version of this package.
   */
  constructor(options: ResolvedSqliteStoreOptions) {
    this.path = options.path;
    this.#logger = options.logger;
    this.declaredPaths = indexedPathsByEntity(options.entities);
    this.#db = openDatabase(options);
    this.writer = options.writeThread
      ? new WriteWorker({
          path: options.path,
          synchronous: options.synchronous,
          busyTimeoutMs: options.busyTimeoutMs,
          walAutocheckpointPages: options.walAutocheckpointPages,
          journalSizeLimitBytes: JOURNAL_SIZE_LIMIT_BYTES,
          logger: options.logger,
        })
      : null;
  }

  /** Runs `work` on the open database; wraps driver failures in {@link StoreError}. */
  call<T>(operation: string, work: (db: Db) => T): T {
    const db = this.#db;
    if (db === null) throw new StoreError('The store is closed.', { retryable: false });
    try {
      return work(db);
    } catch (err) {
      throw toStoreError(operation, err);
    }
  }

  /**
   * A prepared statement for `sql`, prepared once per connection. At most
   * {@link LARGE_STATEMENT_LIMIT} large ones (longer than {@link LARGE_STATEMENT_CHARS}) are kept,
   * so batches of ever new sizes do not pile up megabytes of prepared statements.
   */
  stmt(db: Db, sql: string): Stmt {
    if (sql.length > LARGE_STATEMENT_CHARS) return this.#largeStmt(db, sql);
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      stmt = db.prepare<Param[]>(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** How many prepared statements the connection keeps: `[small, large]`. */
  get statementCounts(): [number, number] {
    return [this.#statements.size, this.#largeStatements.size];
  }

  #largeStmt(db: Db, sql: string): Stmt {
    const cache = this.#largeStatements;
    let stmt = cache.get(sql);
    // Re-inserted on every use: the Map's first key is the least recently used.
    if (stmt) cache.delete(sql);
    else {
      stmt = db.prepare<Param[]>(sql);
      if (cache.size >= LARGE_STATEMENT_LIMIT) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  }

  /** Runs `work` in an `IMMEDIATE` transaction: the write lock is taken up front, so it waits (busy timeout) instead of failing mid-way. */
  write<T>(db: Db, work: () => T): T {
    return db.transaction(work).immediate();
  }

  /** Resolves when the database answers a query. */
  ping(): void {
    this.call('ping', (db) => this.stmt(db, 'SELECT 1').get());
  }

  /** Waits for the writes given to the worker thread, then stops it (see {@link WriteWorker.close}). */
  async closeWriter(): Promise<void> {
    await this.writer?.close();
  }

  /**
   * Closes the database: refreshes the query planner's statistics where SQLite finds it useful
   * (`PRAGMA optimize`), then closes the connection, which checkpoints the WAL into the main
   * file when this is the last connection. Safe to call twice.
   */
  close(): void {
    const db = this.#db;
    if (db === null) return;
    this.#db = null;
    this.#statements.clear();
    this.#largeStatements.clear();
    try {
      db.pragma('optimize');
    } catch (err) {
      this.#logger.warn({ path: this.path, err: (err as Error).message }, 'sqlite-store: PRAGMA optimize failed on close');
    }
    try {
      db.close();
    } catch (err) {
      throw toStoreError('close', err);
    }
  }

  /** Writes a consistent copy of the whole database to `destination` through SQLite's online backup API. */
  async backup(destination: string): Promise<void> {
    const db = this.call('backup', (open) => open);
    try {
      await db.backup(destination);
    } catch (err) {
      throw toStoreError(`backup to ${destination}`, err);
    }
  }
}

function openDatabase(options: ResolvedSqliteStoreOptions): Db {
  let db: Db | undefined;
  try {
    const file = preparePrivateFile(options.path);
    if (file.kind === 'existing' && isSharedMode(file.mode)) {
      options.logger.warn(
        { path: options.path, mode: `0${file.mode.toString(8)}` },
        'the SQLite file is readable by other local accounts; it holds users, sessions and token caches: chmod 600 it (and its -wal and -shm files)',
      );
    }
    // better-sqlite3's `timeout` is SQLite's busy_timeout.
    db = new Database(options.path, { timeout: options.busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`wal_autocheckpoint = ${String(options.walAutocheckpointPages)}`);
    // After a checkpoint, a WAL file grown past this (one huge transaction) is cut back.
    db.pragma(`journal_size_limit = ${String(JOURNAL_SIZE_LIMIT_BYTES)}`);
    db.function(LOWER_FUNCTION, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
    migrate(db, options.logger);
    for (const index of declaredIndexes(options.entities)) db.exec(index.sql);
    return db;
  } catch (err) {
    try {
      db?.close();
    } catch {
      // The open already failed; that failure is the one worth reporting.
    }
    throw toStoreError(`open of ${options.path}`, err);
  }
}
