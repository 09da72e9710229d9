/**
 * The idempotency port on SQLite (`idempotency_keys`): a claim is one conditional upsert in an
 * `IMMEDIATE` transaction, so it is exclusive across every connection to the file.
 * @module
 */
import type { IdempotencyClaim, IdempotencyClaimRequest, IdempotencyRecord, IdempotencyStore, IdempotentAnswer } from '@odoo-sync/core/store-kit';
import type { JsonValue } from '@odoo-sync/core';
import type { SqliteConnection } from './connection.js';

interface KeyRow {
  key: string;
  fingerprint: string;
  state: string;
  status: number | null;
  body: string | null;
  created_at: string;
  expires_at: string;
  pending_until: string;
}

const COLUMNS = 'key, fingerprint, state, status, body, created_at, expires_at, pending_until';

function toRecord(row: KeyRow): IdempotencyRecord {
  const done = row.state === 'done' && row.status !== null;
  return {
    key: row.key,
    fingerprint: row.fingerprint,
    state: done ? 'done' : 'pending',
    answer: done ? { status: row.status as number, body: JSON.parse(row.body ?? 'null') as JsonValue } : null,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    pendingUntil: row.pending_until,
  };
}

/** {@link IdempotencyStore} over a shared {@link SqliteConnection}. */
export class SqliteIdempotency implements IdempotencyStore {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async claimIdempotencyKey(request: IdempotencyClaimRequest, now: Date): Promise<IdempotencyClaim> {
    return this.#conn.call('claimIdempotencyKey', (db) =>
      this.#conn.write(db, () => {
        // Takes a free key, an expired one or an abandoned pending one; returns nothing when a
        // live key is there, which is then read in the same transaction.
        const claimed = this.#conn
          .stmt(
            db,
            `INSERT INTO idempotency_keys (key, fingerprint, state, status, body, created_at, expires_at, expires_ms, pending_until, pending_until_ms)
             VALUES (?, ?, 'pending', NULL, NULL, ?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'pending', status = NULL, body = NULL,
               created_at = excluded.created_at, expires_at = excluded.expires_at, expires_ms = excluded.expires_ms,
               pending_until = excluded.pending_until, pending_until_ms = excluded.pending_until_ms
             WHERE idempotency_keys.expires_ms <= ? OR (idempotency_keys.state = 'pending' AND idempotency_keys.pending_until_ms <= ?)
             RETURNING key`,
          )
          .get(
            request.key,
            request.fingerprint,
            now.toISOString(),
            request.expiresAt.toISOString(),
            request.expiresAt.getTime(),
            request.pendingUntil.toISOString(),
            request.pendingUntil.getTime(),
            now.getTime(),
            now.getTime(),
          );
        if (claimed) return { claimed: true } as const;
        const row = this.#conn.stmt(db, `SELECT ${COLUMNS} FROM idempotency_keys WHERE key = ?`).get(request.key) as KeyRow;
        return { claimed: false, record: toRecord(row) } as const;
      }),
    );
  }

  /** @inheritDoc */
  async completeIdempotencyKey(key: string, fingerprint: string, answer: IdempotentAnswer, _now: Date): Promise<boolean> {
    return this.#conn.call(
      'completeIdempotencyKey',
      (db) =>
        this.#conn
          .stmt(db, `UPDATE idempotency_keys SET state = 'done', status = ?, body = ? WHERE key = ? AND fingerprint = ? AND state = 'pending'`)
          .run(answer.status, JSON.stringify(answer.body), key, fingerprint).changes > 0,
    );
  }

  /** @inheritDoc */
  async releaseIdempotencyKey(key: string, fingerprint: string): Promise<boolean> {
    return this.#conn.call(
      'releaseIdempotencyKey',
      (db) => this.#conn.stmt(db, `DELETE FROM idempotency_keys WHERE key = ? AND fingerprint = ? AND state = 'pending'`).run(key, fingerprint).changes > 0,
    );
  }

  /** @inheritDoc */
  async getIdempotencyKey(key: string, now: Date): Promise<IdempotencyRecord | null> {
    return this.#conn.call('getIdempotencyKey', (db) => {
      const row = this.#conn.stmt(db, `SELECT ${COLUMNS} FROM idempotency_keys WHERE key = ? AND expires_ms > ?`).get(key, now.getTime()) as KeyRow | undefined;
      return row ? toRecord(row) : null;
    });
  }

  /** @inheritDoc */
  async purgeExpiredIdempotencyKeys(now: Date): Promise<number> {
    return this.#conn.call('purgeExpiredIdempotencyKeys', (db) => this.#conn.stmt(db, 'DELETE FROM idempotency_keys WHERE expires_ms <= ?').run(now.getTime()).changes);
  }
}
