/**
 * The lease port on SQLite (`leases`): each change is one conditional statement in an
 * `IMMEDIATE` transaction, so a lease is exclusive across every connection to the file.
 * @module
 */
import type { LockStore } from '@odoo-sync/core';
import type { Lease } from '@odoo-sync/core/store-kit';
import type { SqliteConnection } from './connection.js';

interface LeaseRow {
  name: string;
  owner: string;
  expires_at: string;
}

function toLease(row: LeaseRow): Lease {
  return { name: row.name, owner: row.owner, expiresAt: row.expires_at };
}

/** {@link LockStore} over a shared {@link SqliteConnection}. */
export class SqliteLeases implements LockStore {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#conn.call('acquireLease', (db) => {
      const expires = new Date(now.getTime() + ttlMs);
      // One conditional upsert: it takes a free lease, an expired one or the owner's own, and
      // returns nothing when another owner's lease is still running. The IMMEDIATE transaction
      // serialises it with every other connection to the file, in this process or another.
      const row = this.#conn.write(db, () =>
        this.#conn
          .stmt(
            db,
            `INSERT INTO leases (name, owner, expires_at, expires_ms) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, expires_ms = excluded.expires_ms
           WHERE leases.owner = excluded.owner OR leases.expires_ms <= ?
           RETURNING name, owner, expires_at`,
          )
          .get(name, owner, expires.toISOString(), expires.getTime(), now.getTime()),
      ) as LeaseRow | undefined;
      return row ? toLease(row) : null;
    });
  }

  /** @inheritDoc */
  async renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#conn.call('renewLease', (db) => {
      const expires = new Date(now.getTime() + ttlMs);
      const row = this.#conn.write(db, () =>
        this.#conn
          .stmt(db, 'UPDATE leases SET expires_at = ?, expires_ms = ? WHERE name = ? AND owner = ? RETURNING name, owner, expires_at')
          .get(expires.toISOString(), expires.getTime(), name, owner),
      ) as LeaseRow | undefined;
      return row ? toLease(row) : null;
    });
  }

  /** @inheritDoc */
  async takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#conn.call('takeOverLease', (db) => {
      const expires = new Date(now.getTime() + ttlMs);
      // Compare-and-set on the holder: of two processes taking over one dead holder, the second
      // finds the owner changed and gets nothing.
      const row = this.#conn.write(db, () =>
        this.#conn
          .stmt(db, 'UPDATE leases SET owner = ?, expires_at = ?, expires_ms = ? WHERE name = ? AND owner = ? RETURNING name, owner, expires_at')
          .get(owner, expires.toISOString(), expires.getTime(), name, previousOwner),
      ) as LeaseRow | undefined;
      return row ? toLease(row) : null;
    });
  }

  /** @inheritDoc */
  async releaseLease(name: string, owner: string): Promise<boolean> {
    return this.#conn.call('releaseLease', (db) => this.#conn.stmt(db, 'DELETE FROM leases WHERE name = ? AND owner = ?').run(name, owner).changes > 0);
  }

  /** @inheritDoc */
  async getLease(name: string, now: Date): Promise<Lease | null> {
    return this.#conn.call('getLease', (db) => {
      const row = this.#conn.stmt(db, 'SELECT name, owner, expires_at FROM leases WHERE name = ? AND expires_ms > ?').get(name, now.getTime()) as
        | LeaseRow
        | undefined;
      return row ? toLease(row) : null;
    });
  }
}
