/**
 * The user half of the user port on SQLite (`users`): people who sign in, unique by id,
 * e-mail (case-insensitive) and sign-in identity.
 * @module
 */
import type { OdooLink, User, UserIdentity, UserStore } from '@odoo-sync/core';
import type { NewUser, Page, UserPatch, UserQuery, UserRole, UserStatus } from '@odoo-sync/core/store-kit';
import {
  createdUser,
  decodeCursor,
  emailKey,
  isPairCursor,
  normalizedIdentity,
  pageLimit,
  pageOf,
  patchedUser,
} from '@odoo-sync/core/store-kit';
import { ConflictError, NotFoundError } from '@odoo-sync/core/errors';
import type { Db, SqliteConnection } from './connection.js';
import { epochMs, Filter } from './sql.js';

/** The user methods of {@link UserStore} (its API-key methods are in `api-keys.ts`). */
export type UserRecords = Pick<UserStore, 'createUser' | 'getUser' | 'getUserByEmail' | 'getUserByIdentity' | 'updateUser' | 'listUsers' | 'countUsers'>;

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

const USER_COLUMNS = 'id, email, name, role, status, odoo_link, other_emails, reauth_required, identity_tenant, identity_object, created_at, updated_at';

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

/** The user methods of {@link UserStore} over a shared {@link SqliteConnection}. */
export class SqliteUsers implements UserRecords {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  #userById(db: Db, id: string): UserRow | undefined {
    return this.#conn.stmt(db, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as UserRow | undefined;
  }

  #emailTaken(db: Db, email: string, exceptId: string | null): boolean {
    return this.#conn.stmt(db, 'SELECT 1 FROM users WHERE email_key = ? AND id IS NOT ?').get(emailKey(email), exceptId) !== undefined;
  }

  #identityTaken(db: Db, identity: UserIdentity | null | undefined, exceptId: string | null): boolean {
    if (!identity) return false;
    const { tenantId, objectId } = normalizedIdentity(identity);
    return (
      this.#conn.stmt(db, 'SELECT 1 FROM users WHERE identity_tenant = ? AND identity_object = ? AND id IS NOT ?').get(tenantId, objectId, exceptId) !==
      undefined
    );
  }

  /** @inheritDoc */
  async createUser(user: NewUser, at: Date): Promise<User> {
    return this.#conn.call('createUser', (db) =>
      this.#conn.write(db, () => {
        if (this.#userById(db, user.id)) throw new ConflictError(`A user with id ${user.id} already exists.`);
        if (this.#emailTaken(db, user.email, null)) throw new ConflictError('A user with this e-mail already exists.');
        if (this.#identityTaken(db, user.identity, null)) throw new ConflictError('A user with this identity already exists.');
        const created = createdUser(user, at);
        const now = created.createdAt;
        this.#conn
          .stmt(
            db,
            `INSERT INTO users (id, email, email_key, name, role, status, odoo_link, other_emails, reauth_required, identity_tenant, identity_object,
             created_at, created_ms, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 0, ?, ?, ?, ?, ?)`,
          )
          .run(
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
    return this.#conn.call('getUser', (db) => {
      const row = this.#userById(db, id);
      return row ? toUser(row) : null;
    });
  }

  /** @inheritDoc */
  async getUserByEmail(email: string): Promise<User | null> {
    return this.#conn.call('getUserByEmail', (db) => {
      const row = this.#conn.stmt(db, `SELECT ${USER_COLUMNS} FROM users WHERE email_key = ?`).get(emailKey(email)) as UserRow | undefined;
      return row ? toUser(row) : null;
    });
  }

  /** @inheritDoc */
  async getUserByIdentity(identity: UserIdentity): Promise<User | null> {
    return this.#conn.call('getUserByIdentity', (db) => {
      const { tenantId, objectId } = normalizedIdentity(identity);
      const row = this.#conn.stmt(db, `SELECT ${USER_COLUMNS} FROM users WHERE identity_tenant = ? AND identity_object = ?`).get(tenantId, objectId) as
        | UserRow
        | undefined;
      return row ? toUser(row) : null;
    });
  }

  /** @inheritDoc */
  async updateUser(id: string, patch: UserPatch, at: Date): Promise<User> {
    return this.#conn.call('updateUser', (db) =>
      this.#conn.write(db, () => {
        const row = this.#userById(db, id);
        if (!row) throw new NotFoundError(`No user with id ${id}.`);
        if (patch.email !== undefined && this.#emailTaken(db, patch.email, id)) {
          throw new ConflictError('A user with this e-mail already exists.');
        }
        if (this.#identityTaken(db, patch.identity, id)) throw new ConflictError('A user with this identity already exists.');
        const updated = patchedUser(toUser(row), patch, at);
        this.#conn
          .stmt(
            db,
            `UPDATE users SET email = ?, email_key = ?, name = ?, role = ?, status = ?, odoo_link = ?, other_emails = ?, reauth_required = ?,
           identity_tenant = ?, identity_object = ?, updated_at = ? WHERE id = ?`,
          )
          .run(
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
    return this.#conn.call('listUsers', (db) => {
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
      const rows = this.#conn.stmt(db, `SELECT ${USER_COLUMNS} FROM users ${where} ORDER BY created_ms, id LIMIT ?`).all(...params, limit + 1) as UserRow[];
      return pageOf(rows, limit, toUser, (item) => [item.createdAt, item.id]);
    });
  }

  /** @inheritDoc */
  async countUsers(query: Pick<UserQuery, 'status' | 'role'> = {}): Promise<number> {
    return this.#conn.call('countUsers', (db) => {
      const filter = new Filter();
      if (query.status !== undefined) filter.add('status = ?', query.status);
      if (query.role !== undefined) filter.add('role = ?', query.role);
      const { where, params } = filter;
      return this.#conn
        .stmt(db, `SELECT COUNT(*) FROM users ${where}`)
        .pluck()
        .get(...params) as number;
    });
  }
}
