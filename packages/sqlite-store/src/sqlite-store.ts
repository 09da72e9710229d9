/**
 * SqliteStore: every store port of `@odoo-sync/core` on one SQLite file (better-sqlite3, WAL).
 * @module
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type {
  Logger,
  Activity,
  ActivityQuery,
  ApiKey,
  EntityName,
  EntityRecord,
  InactiveReason,
  JsonValue,
  Lease,
  NewUser,
  OdooLink,
  Page,
  RecordCounts,
  RecordQuery,
  RecordWrite,
  StoredState,
  SyncedRecord,
  SyncLogEntry,
  SyncLogQuery,
  SyncStatus,
  SyncStore,
  TokenEntry,
  User,
  UserIdentity,
  UserPatch,
  UserQuery,
  UserRole,
  UserStatus,
} from '@odoo-sync/core';
import { createdUser, decodeCursor, emailKey, isPairCursor, normalizedIdentity, pageLimit, pageOf, patchedUser } from '@odoo-sync/core';
import { ConflictError, NotFoundError, StoreError } from '@odoo-sync/core/errors';
import { toStoreError } from './driver-errors.js';
import { isSharedMode, preparePrivateFile } from './file-mode.js';
import { migrate } from './migrations.js';
import type { ResolvedSqliteStoreOptions, SqliteStoreOptions, SqliteSynchronous } from './options.js';
import { resolveSqliteStoreOptions } from './options.js';
import type { RecordRow } from './record-query.js';
import { compileRecordQuery, LOWER_FUNCTION, RECORD_COLUMNS } from './record-query.js';
import { UPSERT_CHUNK, upsertSql } from './record-upsert.js';

type Db = BetterSqlite3.Database;
type Param = string | number | null;
// better-sqlite3 statements are typed loosely on purpose: rows are mapped by the helpers below.
type Stmt = BetterSqlite3.Statement<Param[]>;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  odoo_link: string | null;
  other_emails: string;
  reauth_required: number;
  identity_tenant: string | null;
  identity_object: string | null;
  created_at: string;
  updated_at: string;
}

interface ApiKeyRow {
  id: string;
  user_id: string;
  key_hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface TokenRow {
  key: string;
  blob: string;
  version: number;
  expires_at: string | null;
  updated_at: string;
}

interface LeaseRow {
  name: string;
  owner: string;
  expires_at: string;
}

interface StateRow {
  odoo_id: number;
  hash: string;
  is_active: number;
  inactive_reason: string | null;
}

/** Dynamic statements kept per SQL text; past this many distinct texts the cache starts over. */
const STATEMENT_CACHE_LIMIT = 256;

const USER_COLUMNS = 'id, email, name, role, status, odoo_link, other_emails, reauth_required, identity_tenant, identity_object, created_at, updated_at';
const API_KEY_COLUMNS = 'id, user_id, key_hash, label, created_at, last_used_at, revoked_at';
const TOKEN_COLUMNS = 'key, blob, version, expires_at, updated_at';

/** Milliseconds since the epoch of an ISO-8601 time, `null` when it does not parse (sorted and filtered like MemoryStore's `NaN`). */
function epochMs(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** A bound time for a query: `NaN` becomes SQL NULL, which — like NaN in MemoryStore — matches nothing. */
function boundMs(date: Date): number | null {
  const ms = date.getTime();
  return Number.isNaN(ms) ? null : ms;
}

function toSyncedRecord(row: RecordRow): SyncedRecord {
  return {
    entity: row.entity as EntityName,
    odooId: row.odoo_id,
    data: JSON.parse(row.data) as EntityRecord,
    hash: row.hash,
    isActive: row.is_active === 1,
    inactiveReason: row.inactive_reason as InactiveReason | null,
    odooWriteDate: row.odoo_write_date,
    firstSyncedAt: row.first_synced_at,
    lastSyncedAt: row.last_synced_at,
    deletedAt: row.deleted_at,
  };
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as UserRole,
    status: row.status as UserStatus,
    odooLink: row.odoo_link === null ? null : (JSON.parse(row.odoo_link) as OdooLink),
    otherEmails: JSON.parse(row.other_emails) as string[],
    reauthRequired: row.reauth_required === 1,
    identity: row.identity_tenant !== null && row.identity_object !== null ? { tenantId: row.identity_tenant, objectId: row.identity_object } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    userId: row.user_id,
    keyHash: row.key_hash,
    label: row.label,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function toTokenEntry(row: TokenRow): TokenEntry {
  return { key: row.key, blob: row.blob, version: row.version, expiresAt: row.expires_at, updatedAt: row.updated_at };
}

function toLease(row: LeaseRow): Lease {
  return { name: row.name, owner: row.owner, expiresAt: row.expires_at };
}

/** AND-ed SQL conditions with their bound values, built from optional query fields. */
class Filter {
  readonly #clauses: string[] = [];
  readonly #params: Param[] = [];

  /** Adds a condition with the values of its `?` placeholders. */
  add(clause: string, ...params: Param[]): void {
    this.#clauses.push(clause);
    this.#params.push(...params);
  }

  /** Newest-first keyset condition on a `(time_ms, id)` pair: rows strictly older than the cursor. */
  olderThan(timeColumn: string, cursor: readonly [string, string]): void {
    const ms = epochMs(cursor[0]);
    this.add(`(${timeColumn} < ? OR (${timeColumn} = ? AND id < ?))`, ms, ms, cursor[1]);
  }

  /** `WHERE …` (or nothing when there is no condition). */
  get where(): string {
    return this.#clauses.length > 0 ? `WHERE ${this.#clauses.join(' AND ')}` : '';
  }

  /** Bound values, in placeholder order. */
  get params(): Param[] {
    return [...this.#params];
  }
}

/**
 * Every store port of `@odoo-sync/core` on one SQLite file, through better-sqlite3.
 *
 * - The database is opened, configured (WAL, `synchronous`, `busy_timeout`, foreign keys) and
 *   migrated in the constructor, so a bad path or a database from a newer version fails at
 *   startup with a {@link StoreError}, not on the first request.
 * - better-sqlite3 is synchronous: each method does its work in one go and returns a settled
 *   promise. Writes that touch several rows run in one `IMMEDIATE` transaction (all or
 *   nothing); no transaction is ever held across an `await`.
 * - Every driver failure is a {@link StoreError} with the driver's error as `cause`
 *   (`retryable` for `SQLITE_BUSY`, I/O errors and a full disk). After {@link SqliteStore.close}
 *   every method rejects with a `StoreError`.
 * - Several `SqliteStore`s (in one or many processes) may share a file: leases are exclusive
 *   across all of them, token writes are compare-and-set.
 *
 * @example
 * ```ts
 * import { Reconciler } from '@odoo-sync/core';
 * import { SqliteStore } from '@odoo-sync/sqlite-store';
 *
 * const store = SqliteStore.open('./data/odoo-sync.db');
 * const reconciler = new Reconciler({ source, store });
 * await reconciler.run({ mode: 'full' });
 * console.log(await store.countRecords('contact'));
 * await store.close();
 * ```
 */
export class SqliteStore implements SyncStore {
  /** Path of the database file (or `':memory:'`). */
  readonly path: string;
  /** The durability level in use. */
  readonly synchronous: SqliteSynchronous;
  #db: Db | null;
  readonly #logger: Logger;
  readonly #statements = new Map<string, Stmt>();

  /**
   * Opens (creating when missing) and migrates the database. Throws a `TypeError` for invalid
   * options and a {@link StoreError} when the file cannot be opened, is not a SQLite database,
   * or was written by a newer version of this package.
   */
  constructor(options: string | SqliteStoreOptions) {
    const resolved = resolveSqliteStoreOptions(options);
    this.path = resolved.path;
    this.synchronous = resolved.synchronous;
    this.#logger = resolved.logger;
    this.#db = SqliteStore.#openDatabase(resolved);
  }

  /**
   * Opens a store: the same as `new SqliteStore(options)`.
   *
   * @example
   * ```ts
   * const store = SqliteStore.open({ path: '/var/lib/odoo-sync/store.db', synchronous: 'full' });
   * ```
   */
  static open(options: string | SqliteStoreOptions): SqliteStore {
    return new SqliteStore(options);
  }

  static #openDatabase(options: ResolvedSqliteStoreOptions): Db {
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
      db.function(LOWER_FUNCTION, { deterministic: true }, (value: unknown) =>
        typeof value === 'string' ? value.toLowerCase() : value,
      );
      migrate(db, options.logger);
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

  /** Runs `work` on the open database; wraps driver failures in {@link StoreError}. */
  #call<T>(operation: string, work: (db: Db) => T): T {
    const db = this.#db;
    if (db === null) throw new StoreError('The store is closed.', { retryable: false });
    try {
      return work(db);
    } catch (err) {
      throw toStoreError(operation, err);
    }
  }

  /** A prepared statement for `sql`, prepared once per connection. */
  #stmt(db: Db, sql: string): Stmt {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      stmt = db.prepare<Param[]>(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Runs `work` in an `IMMEDIATE` transaction: the write lock is taken up front, so it waits (busy timeout) instead of failing mid-way. */
  #write<T>(db: Db, work: () => T): T {
    return db.transaction(work).immediate();
  }

  /** Resolves when the database answers a query. */
  async ping(): Promise<void> {
    this.#call('ping', (db) => this.#stmt(db, 'SELECT 1').get());
  }

  /**
   * Closes the database: refreshes the query planner's statistics where SQLite finds it useful
   * (`PRAGMA optimize`), then closes the connection, which checkpoints the WAL into the main
   * file when this is the last connection. Safe to call twice.
   */
  async close(): Promise<void> {
    const db = this.#db;
    if (db === null) return;
    this.#db = null;
    this.#statements.clear();
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

  /**
   * Writes a consistent copy of the whole database to `destination` (a new file) while the
   * store stays in use, through SQLite's online backup API. The copy is a single file (no WAL).
   */
  async backup(destination: string): Promise<void> {
    const db = this.#call('backup', (open) => open);
    try {
      await db.backup(destination);
    } catch (err) {
      throw toStoreError(`backup to ${destination}`, err);
    }
  }

  // --- RecordStore -----------------------------------------------------------------------------

  /** @inheritDoc */
  async getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>> {
    return this.#call('getStates', (db) => {
      const states = new Map<number, StoredState>();
      if (ids.length === 0) return states;
      // One query for the whole page: the ids travel as one JSON array, so there is no
      // 999/32766 bound-parameter limit to chunk around.
      const rows = this.#stmt(
        db,
        'SELECT odoo_id, hash, is_active, inactive_reason FROM records WHERE entity = ? AND odoo_id IN (SELECT value FROM json_each(?))',
      ).all(entity, JSON.stringify(ids)) as StateRow[];
      for (const row of rows) {
        states.set(row.odoo_id, {
          hash: row.hash,
          isActive: row.is_active === 1,
          inactiveReason: row.inactive_reason as InactiveReason | null,
        });
      }
      return states;
    });
  }

  /** @inheritDoc */
  async upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void> {
    // One IMMEDIATE transaction per call; rows go in 100 at a time through one multi-row
    // statement (fewer calls into SQLite than one statement per row).
    this.#call('upsertRecords', (db) => {
      if (writes.length === 0) return;
      const now = at.toISOString();
      const single = this.#stmt(db, upsertSql(1));
      const chunk = writes.length >= UPSERT_CHUNK ? this.#stmt(db, upsertSql(UPSERT_CHUNK)) : null;
      const params: Param[] = [];
      const push = (write: RecordWrite) => {
        params.push(
          entity,
          write.odooId,
          JSON.stringify(write.data),
          write.hash,
          write.isActive ? 1 : 0,
          write.isActive ? null : (write.inactiveReason ?? 'archived'),
          write.odooWriteDate ?? null,
          now,
          now,
        );
      };
      this.#write(db, () => {
        let i = 0;
        if (chunk) {
          for (; i + UPSERT_CHUNK <= writes.length; i += UPSERT_CHUNK) {
            params.length = 0;
            for (let j = i; j < i + UPSERT_CHUNK; j++) push(writes[j]!);
            chunk.run(...params);
          }
        }
        for (; i < writes.length; i++) {
          params.length = 0;
          push(writes[i]!);
          single.run(...params);
        }
      });
    });
  }

  /** @inheritDoc */
  async markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number> {
    return this.#call('markDeleted', (db) => {
      if (ids.length === 0) return 0;
      const result = this.#write(db, () =>
        this.#stmt(
          db,
          `UPDATE records SET is_active = 0, inactive_reason = 'deleted', deleted_at = ?
           WHERE entity = ? AND odoo_id IN (SELECT value FROM json_each(?)) AND inactive_reason IS NOT 'deleted'`,
        ).run(at.toISOString(), entity, JSON.stringify(ids)),
      );
      return result.changes;
    });
  }

  /** @inheritDoc */
  async listLiveIds(entity: EntityName): Promise<number[]> {
    return this.#call('listLiveIds', (db) =>
      // Reads only the small partial index records_live, and hands back plain numbers.
      this.#stmt(db, `SELECT odoo_id FROM records WHERE entity = ? AND inactive_reason IS NOT 'deleted' ORDER BY odoo_id`)
        .pluck()
        .all(entity) as number[],
    );
  }

  /** @inheritDoc */
  async getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null> {
    return this.#call('getRecord', (db) => {
      const row = this.#stmt(db, `SELECT ${RECORD_COLUMNS} FROM records WHERE entity = ? AND odoo_id = ?`).get(entity, odooId) as
        | RecordRow
        | undefined;
      return row ? toSyncedRecord(row) : null;
    });
  }

  /** @inheritDoc */
  async queryRecords(entity: EntityName, query: RecordQuery = {}): Promise<Page<SyncedRecord>> {
    return this.#call('queryRecords', (db) => {
      const { sql, params, limit } = compileRecordQuery(entity, query);
      const rows = this.#stmt(db, sql).all(...params) as RecordRow[];
      return pageOf(rows, limit, toSyncedRecord, (item) => [item.odooId]);
    });
  }

  /** @inheritDoc */
  async countRecords(entity: EntityName): Promise<RecordCounts> {
    return this.#call('countRecords', (db) => {
      const rows = this.#stmt(
        db,
        'SELECT is_active, inactive_reason, COUNT(*) AS n FROM records WHERE entity = ? GROUP BY is_active, inactive_reason',
      ).all(entity) as Array<{ is_active: number; inactive_reason: string | null; n: number }>;
      const counts: RecordCounts = { active: 0, archived: 0, deleted: 0 };
      for (const row of rows) {
        if (row.is_active === 1) counts.active += row.n;
        else if (row.inactive_reason === 'deleted') counts.deleted += row.n;
        else counts.archived += row.n;
      }
      return counts;
    });
  }

  /** @inheritDoc */
  async getCursor(entity: EntityName): Promise<string | null> {
    return this.#call('getCursor', (db) => {
      const cursor = this.#stmt(db, 'SELECT cursor FROM sync_cursors WHERE entity = ?').pluck().get(entity) as string | undefined;
      return cursor ?? null;
    });
  }

  /** @inheritDoc */
  async setCursor(entity: EntityName, cursor: string | null): Promise<void> {
    this.#call('setCursor', (db) => {
      if (cursor === null) this.#stmt(db, 'DELETE FROM sync_cursors WHERE entity = ?').run(entity);
      else {
        this.#stmt(
          db,
          'INSERT INTO sync_cursors (entity, cursor) VALUES (?, ?) ON CONFLICT (entity) DO UPDATE SET cursor = excluded.cursor',
        ).run(entity, cursor);
      }
    });
  }

  // --- SyncLogStore ----------------------------------------------------------------------------

  /** @inheritDoc */
  async appendSyncLog(entry: SyncLogEntry): Promise<void> {
    this.#call('appendSyncLog', (db) => {
      this.#stmt(
        db,
        `INSERT INTO sync_logs (id, run_id, entity, status, started_at, started_ms, entry) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, entity = excluded.entity, status = excluded.status,
           started_at = excluded.started_at, started_ms = excluded.started_ms, entry = excluded.entry`,
      ).run(entry.id, entry.runId, entry.entity, entry.status, entry.startedAt, epochMs(entry.startedAt), JSON.stringify(entry));
    });
  }

  /** @inheritDoc */
  async listSyncLogs(query: SyncLogQuery = {}): Promise<Page<SyncLogEntry>> {
    return this.#call('listSyncLogs', (db) => {
      const limit = pageLimit(query.limit);
      const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
      const filter = new Filter();
      if (query.entity !== undefined) filter.add('entity = ?', query.entity);
      if (query.status !== undefined) filter.add('status = ?', query.status);
      if (query.runId !== undefined) filter.add('run_id = ?', query.runId);
      if (query.from !== undefined) filter.add('started_ms >= ?', boundMs(query.from));
      if (query.to !== undefined) filter.add('started_ms < ?', boundMs(query.to));
      if (after) filter.olderThan('started_ms', after);
      const { where, params } = filter;
      const rows = this.#stmt(db, `SELECT entry FROM sync_logs ${where} ORDER BY started_ms DESC, id DESC LIMIT ?`)
        .pluck()
        .all(...params, limit + 1) as string[];
      return pageOf(rows, limit, (text) => JSON.parse(text) as SyncLogEntry, (item) => [item.startedAt, item.id]);
    });
  }

  /** @inheritDoc */
  async latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null> {
    const page = await this.listSyncLogs({ entity, ...(status === undefined ? {} : { status }), limit: 1 });
    return page.items[0] ?? null;
  }

  /** @inheritDoc */
  async pruneSyncLogs(before: Date): Promise<number> {
    return this.#call(
      'pruneSyncLogs',
      (db) => this.#stmt(db, 'DELETE FROM sync_logs WHERE started_ms < ?').run(boundMs(before)).changes,
    );
  }

  // --- SettingsStore ---------------------------------------------------------------------------

  /** @inheritDoc */
  async getSetting(key: string): Promise<JsonValue | undefined> {
    return this.#call('getSetting', (db) => {
      const text = this.#stmt(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
      return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
    });
  }

  /** @inheritDoc */
  async setSetting(key: string, value: JsonValue): Promise<void> {
    this.#call('setSetting', (db) => {
      this.#stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
        key,
        JSON.stringify(value),
      );
    });
  }

  // --- LockStore -------------------------------------------------------------------------------

  /** @inheritDoc */
  async acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#call('acquireLease', (db) => {
      const expires = new Date(now.getTime() + ttlMs);
      // One conditional upsert: it takes a free lease, an expired one or the owner's own, and
      // returns nothing when another owner's lease is still running. The IMMEDIATE transaction
      // serialises it with every other connection to the file, in this process or another.
      const row = this.#write(db, () =>
        this.#stmt(
          db,
          `INSERT INTO leases (name, owner, expires_at, expires_ms) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, expires_ms = excluded.expires_ms
           WHERE leases.owner = excluded.owner OR leases.expires_ms <= ?
           RETURNING name, owner, expires_at`,
        ).get(name, owner, expires.toISOString(), expires.getTime(), now.getTime()),
      ) as LeaseRow | undefined;
      return row ? toLease(row) : null;
    });
  }

  /** @inheritDoc */
  async renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#call('renewLease', (db) => {
      const expires = new Date(now.getTime() + ttlMs);
      const row = this.#write(db, () =>
        this.#stmt(
          db,
          'UPDATE leases SET expires_at = ?, expires_ms = ? WHERE name = ? AND owner = ? RETURNING name, owner, expires_at',
        ).get(expires.toISOString(), expires.getTime(), name, owner),
      ) as LeaseRow | undefined;
      return row ? toLease(row) : null;
    });
  }

  /** @inheritDoc */
  async takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#call('takeOverLease', (db) => {
      const expires = new Date(now.getTime() + ttlMs);
      // Compare-and-set on the holder: of two processes taking over one dead holder, the second
      // finds the owner changed and gets nothing.
      const row = this.#write(db, () =>
        this.#stmt(
          db,
          'UPDATE leases SET owner = ?, expires_at = ?, expires_ms = ? WHERE name = ? AND owner = ? RETURNING name, owner, expires_at',
        ).get(owner, expires.toISOString(), expires.getTime(), name, previousOwner),
      ) as LeaseRow | undefined;
      return row ? toLease(row) : null;
    });
  }

  /** @inheritDoc */
  async releaseLease(name: string, owner: string): Promise<boolean> {
    return this.#call(
      'releaseLease',
      (db) => this.#stmt(db, 'DELETE FROM leases WHERE name = ? AND owner = ?').run(name, owner).changes > 0,
    );
  }

  /** @inheritDoc */
  async getLease(name: string, now: Date): Promise<Lease | null> {
    return this.#call('getLease', (db) => {
      const row = this.#stmt(db, 'SELECT name, owner, expires_at FROM leases WHERE name = ? AND expires_ms > ?').get(
        name,
        now.getTime(),
      ) as LeaseRow | undefined;
      return row ? toLease(row) : null;
    });
  }

  // --- UserStore -------------------------------------------------------------------------------

  #userById(db: Db, id: string): UserRow | undefined {
    return this.#stmt(db, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as UserRow | undefined;
  }

  #emailTaken(db: Db, email: string, exceptId: string | null): boolean {
    return this.#stmt(db, 'SELECT 1 FROM users WHERE email_key = ? AND id IS NOT ?').get(emailKey(email), exceptId) !== undefined;
  }

  #identityTaken(db: Db, identity: UserIdentity | null | undefined, exceptId: string | null): boolean {
    if (!identity) return false;
    const { tenantId, objectId } = normalizedIdentity(identity);
    return (
      this.#stmt(db, 'SELECT 1 FROM users WHERE identity_tenant = ? AND identity_object = ? AND id IS NOT ?').get(tenantId, objectId, exceptId) !==
      undefined
    );
  }

  /** @inheritDoc */
  async createUser(user: NewUser, at: Date): Promise<User> {
    return this.#call('createUser', (db) =>
      this.#write(db, () => {
        if (this.#userById(db, user.id)) throw new ConflictError(`A user with id ${user.id} already exists.`);
        if (this.#emailTaken(db, user.email, null)) throw new ConflictError('A user with this e-mail already exists.');
        if (this.#identityTaken(db, user.identity, null)) throw new ConflictError('A user with this identity already exists.');
        const created = createdUser(user, at);
        const now = created.createdAt;
        this.#stmt(
          db,
          `INSERT INTO users (id, email, email_key, name, role, status, odoo_link, other_emails, reauth_required, identity_tenant, identity_object,
             created_at, created_ms, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 0, ?, ?, ?, ?, ?)`,
        ).run(
          created.id,
          created.email,
          emailKey(created.email),
          created.name,
          created.role,
          created.status,
          JSON.stringify(created.otherEmails),
          created.identity?.tenantId ?? null,
          created.identity?.objectId ?? null,
          now,
          epochMs(now),
          now,
        );
        return created;
      }),
    );
  }

  /** @inheritDoc */
  async getUser(id: string): Promise<User | null> {
    return this.#call('getUser', (db) => {
      const row = this.#userById(db, id);
      return row ? toUser(row) : null;
    });
  }

  /** @inheritDoc */
  async getUserByEmail(email: string): Promise<User | null> {
    return this.#call('getUserByEmail', (db) => {
      const row = this.#stmt(db, `SELECT ${USER_COLUMNS} FROM users WHERE email_key = ?`).get(emailKey(email)) as UserRow | undefined;
      return row ? toUser(row) : null;
    });
  }

  /** @inheritDoc */
  async getUserByIdentity(identity: UserIdentity): Promise<User | null> {
    return this.#call('getUserByIdentity', (db) => {
      const { tenantId, objectId } = normalizedIdentity(identity);
      const row = this.#stmt(db, `SELECT ${USER_COLUMNS} FROM users WHERE identity_tenant = ? AND identity_object = ?`).get(tenantId, objectId) as
        | UserRow
        | undefined;
      return row ? toUser(row) : null;
    });
  }

  /** @inheritDoc */
  async updateUser(id: string, patch: UserPatch, at: Date): Promise<User> {
    return this.#call('updateUser', (db) =>
      this.#write(db, () => {
        const row = this.#userById(db, id);
        if (!row) throw new NotFoundError(`No user with id ${id}.`);
        if (patch.email !== undefined && this.#emailTaken(db, patch.email, id)) {
          throw new ConflictError('A user with this e-mail already exists.');
        }
        if (this.#identityTaken(db, patch.identity, id)) throw new ConflictError('A user with this identity already exists.');
        const updated = patchedUser(toUser(row), patch, at);
        this.#stmt(
          db,
          `UPDATE users SET email = ?, email_key = ?, name = ?, role = ?, status = ?, odoo_link = ?, other_emails = ?, reauth_required = ?,
           identity_tenant = ?, identity_object = ?, updated_at = ? WHERE id = ?`,
        ).run(
          updated.email,
          emailKey(updated.email),
          updated.name,
          updated.role,
          updated.status,
          updated.odooLink === null ? null : JSON.stringify(updated.odooLink),
          JSON.stringify(updated.otherEmails),
          updated.reauthRequired ? 1 : 0,
          updated.identity?.tenantId ?? null,
          updated.identity?.objectId ?? null,
          updated.updatedAt,
          id,
        );
        return updated;
      }),
    );
  }

  /** @inheritDoc */
  async listUsers(query: UserQuery = {}): Promise<Page<User>> {
    return this.#call('listUsers', (db) => {
      const limit = pageLimit(query.limit);
      const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
      const filter = new Filter();
      if (query.status !== undefined) filter.add('status = ?', query.status);
      if (query.role !== undefined) filter.add('role = ?', query.role);
      if (after) {
        const ms = epochMs(after[0]);
        filter.add('(created_ms > ? OR (created_ms = ? AND id > ?))', ms, ms, after[1]);
      }
      const { where, params } = filter;
      const rows = this.#stmt(db, `SELECT ${USER_COLUMNS} FROM users ${where} ORDER BY created_ms, id LIMIT ?`).all(
        ...params,
        limit + 1,
      ) as UserRow[];
      return pageOf(rows, limit, toUser, (item) => [item.createdAt, item.id]);
    });
  }

  /** @inheritDoc */
  async countUsers(query: Pick<UserQuery, 'status' | 'role'> = {}): Promise<number> {
    return this.#call('countUsers', (db) => {
      const filter = new Filter();
      if (query.status !== undefined) filter.add('status = ?', query.status);
      if (query.role !== undefined) filter.add('role = ?', query.role);
      const { where, params } = filter;
      return this.#stmt(db, `SELECT COUNT(*) FROM users ${where}`)
        .pluck()
        .get(...params) as number;
    });
  }

  /** @inheritDoc */
  async createApiKey(key: ApiKey): Promise<ApiKey> {
    return this.#call('createApiKey', (db) =>
      this.#write(db, () => {
        if (this.#stmt(db, 'SELECT 1 FROM api_keys WHERE id = ?').get(key.id) !== undefined) {
          throw new ConflictError(`An API key with id ${key.id} already exists.`);
        }
        if (this.#stmt(db, 'SELECT 1 FROM api_keys WHERE key_hash = ?').get(key.keyHash) !== undefined) {
          throw new ConflictError('An API key with this hash already exists.');
        }
        this.#stmt(
          db,
          `INSERT INTO api_keys (id, user_id, key_hash, label, created_at, created_ms, last_used_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(key.id, key.userId, key.keyHash, key.label, key.createdAt, epochMs(key.createdAt), key.lastUsedAt ?? null, key.revokedAt ?? null);
        return toApiKey({
          id: key.id,
          user_id: key.userId,
          key_hash: key.keyHash,
          label: key.label,
          created_at: key.createdAt,
          last_used_at: key.lastUsedAt ?? null,
          revoked_at: key.revokedAt ?? null,
        });
      }),
    );
  }

  /** @inheritDoc */
  async findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.#call('findApiKeyByHash', (db) => {
      const row = this.#stmt(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`).get(keyHash) as
        | ApiKeyRow
        | undefined;
      return row ? toApiKey(row) : null;
    });
  }

  /** @inheritDoc */
  async listApiKeys(userId: string): Promise<ApiKey[]> {
    return this.#call('listApiKeys', (db) =>
      (this.#stmt(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY created_ms, id`).all(userId) as ApiKeyRow[]).map(
        toApiKey,
      ),
    );
  }

  /** @inheritDoc */
  async touchApiKey(id: string, at: Date): Promise<void> {
    this.#call('touchApiKey', (db) => {
      this.#stmt(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at.toISOString(), id);
    });
  }

  /** @inheritDoc */
  async revokeApiKey(id: string, at: Date): Promise<boolean> {
    return this.#call(
      'revokeApiKey',
      (db) => this.#stmt(db, 'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at.toISOString(), id).changes > 0,
    );
  }

  // --- ActivityStore ---------------------------------------------------------------------------

  /** @inheritDoc */
  async appendActivities(activities: readonly Activity[]): Promise<void> {
    this.#call('appendActivities', (db) => {
      if (activities.length === 0) return;
      const insert = this.#stmt(
        db,
        `INSERT INTO activities (id, activity_type, entity_type, entity_id, user_id, timestamp, timestamp_ms, activity)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      );
      this.#write(db, () => {
        for (const a of activities) {
          insert.run(a.id, a.activityType, a.entityType ?? null, a.entityId ?? null, a.userId ?? null, a.timestamp, epochMs(a.timestamp), JSON.stringify(a));
        }
      });
    });
  }

  /** @inheritDoc */
  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    return this.#call('queryActivities', (db) => {
      const limit = pageLimit(query.limit);
      const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
      const filter = new Filter();
      if (query.activityType !== undefined) filter.add('activity_type = ?', query.activityType);
      if (query.entityType !== undefined) filter.add('entity_type = ?', query.entityType);
      if (query.entityId !== undefined) filter.add('entity_id = ?', query.entityId);
      if (query.userId !== undefined) filter.add('user_id = ?', query.userId);
      if (query.from !== undefined) filter.add('timestamp_ms >= ?', boundMs(query.from));
      if (query.to !== undefined) filter.add('timestamp_ms < ?', boundMs(query.to));
      if (after) filter.olderThan('timestamp_ms', after);
      const { where, params } = filter;
      const rows = this.#stmt(db, `SELECT activity FROM activities ${where} ORDER BY timestamp_ms DESC, id DESC LIMIT ?`)
        .pluck()
        .all(...params, limit + 1) as string[];
      return pageOf(rows, limit, (text) => JSON.parse(text) as Activity, (item) => [item.timestamp, item.id]);
    });
  }

  /** @inheritDoc */
  async purgeActivities(before: Date): Promise<number> {
    return this.#call(
      'purgeActivities',
      (db) => this.#stmt(db, 'DELETE FROM activities WHERE timestamp_ms < ?').run(boundMs(before)).changes,
    );
  }

  // --- TokenStore ------------------------------------------------------------------------------

  /** @inheritDoc */
  async getToken(key: string): Promise<TokenEntry | null> {
    return this.#call('getToken', (db) => {
      const row = this.#stmt(db, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE key = ?`).get(key) as TokenRow | undefined;
      return row ? toTokenEntry(row) : null;
    });
  }

  /** @inheritDoc */
  async putToken(
    key: string,
    value: { blob: string; expiresAt: string | null },
    expectedVersion: number | null,
    at: Date,
  ): Promise<TokenEntry> {
    return this.#call('putToken', (db) => {
      const updatedAt = at.toISOString();
      const expiresMs = epochMs(value.expiresAt ?? null);
      // Compare-and-set in one statement: the version check and the write cannot be split by
      // another connection.
      const row = (
        expectedVersion === null
          ? this.#stmt(
              db,
              `INSERT INTO tokens (key, blob, version, expires_at, expires_ms, updated_at) VALUES (?, ?, 1, ?, ?, ?)
               ON CONFLICT (key) DO NOTHING RETURNING ${TOKEN_COLUMNS}`,
            ).get(key, value.blob, value.expiresAt ?? null, expiresMs, updatedAt)
          : this.#stmt(
              db,
              `UPDATE tokens SET blob = ?, version = version + 1, expires_at = ?, expires_ms = ?, updated_at = ?
               WHERE key = ? AND version = ? RETURNING ${TOKEN_COLUMNS}`,
            ).get(value.blob, value.expiresAt ?? null, expiresMs, updatedAt, key, expectedVersion)
      ) as TokenRow | undefined;
      if (!row) {
        throw new ConflictError(`The token entry changed since it was read (expected version ${String(expectedVersion)}).`, {
          retryable: true,
        });
      }
      return toTokenEntry(row);
    });
  }

  /** @inheritDoc */
  async deleteToken(key: string): Promise<boolean> {
    return this.#call('deleteToken', (db) => this.#stmt(db, 'DELETE FROM tokens WHERE key = ?').run(key).changes > 0);
  }

  /** @inheritDoc */
  async listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]> {
    return this.#call('listTokensExpiringBefore', (db) => {
      const max = Math.max(0, Math.trunc(limit));
      if (max === 0 || Number.isNaN(max)) return [];
      const rows = this.#stmt(
        db,
        `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE expires_ms IS NOT NULL AND expires_ms < ? ORDER BY expires_ms, key LIMIT ?`,
      ).all(boundMs(before), Number.isFinite(max) ? max : -1) as TokenRow[];
      return rows.map(toTokenEntry);
    });
  }
}
