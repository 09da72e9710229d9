/**
 * Writing through to Odoo: who may write, the Odoo connection, and reading the one record
 * written back from Odoo into the store at once, so the answer and the next read show Odoo's
 * truth (`write_date`, computed fields). A write that reached Odoo is never lost: when the
 * re-read fails, the answer says what Odoo accepted and the next sync brings it in.
 * @module
 */
import type { EntityName, SyncedRecord, SyncStore } from '@odoo-sync/core';
import { ForbiddenError, NotFoundError, summarizeError } from '@odoo-sync/core/errors';
import type { Principal } from '../auth/authenticate.js';
import { HttpProblem } from '../http/errors.js';
import type { OdooWriter, RecordReconciler } from '../http/ports.js';
import type { ServerLogger } from '../runtime/logger.js';
import type { CrmSnapshot } from './crm-activities.js';

/** A stored record as the API answers it (without its hash). */
export type PublicRecord = Omit<SyncedRecord, 'hash'>;

/** The answer of a CRM write. */
export interface CrmWriteResult {
  /** Odoo id of the record written. */
  odooId: number;
  /** Whether the store holds Odoo's version of it now. */
  reconciled: boolean;
  /** The record as stored after the write (Odoo's truth), or `null` when it could not be read back. */
  record: PublicRecord | null;
  /** Why `reconciled` is false, when it is. */
  note: string | null;
}

/** What the write-through needs. */
export interface WriteThroughDeps {
  /** The store. */
  store: SyncStore;
  /** Re-reads one record from Odoo into the store. */
  reconciler: RecordReconciler;
  /** Logs what could not be read back. */
  logger: ServerLogger;
}

/** The Odoo connection to write through; `odoo_writes_unavailable` (503) when the app has none. */
export function writerOf(odoo: OdooWriter | null): OdooWriter {
  if (odoo === null) {
    throw new HttpProblem('odoo_writes_unavailable', 'This server has no Odoo connection to write through.', {
      hint: 'Start the server with ODOO_URL (and its credentials) set; a server given only a sync source cannot write to Odoo.',
    });
  }
  return odoo;
}

/**
 * The caller's Odoo user id: writers must be approved (the route's access rule checks it) and
 * linked to an Odoo user. Throws `forbidden` (403) saying how to link otherwise.
 */
export function linkedOdooUserId(principal: Principal): number {
  const userId = principal.user.odooLink?.odooUserId ?? null;
  if (userId === null) {
    throw new ForbiddenError(
      'You are not linked to an Odoo user, so you cannot change CRM records yet: link yourself on your profile page (or POST /api/auth/relink-odoo), or ask an admin to link you.',
      {
        hint: 'Link yourself on your profile page or with POST /api/auth/relink-odoo, or ask an admin to link you (PUT /api/admin/users/:id/odoo-link).',
      },
    );
  }
  return userId;
}

/** A record as the API answers it. */
export function publicRecord(record: SyncedRecord): PublicRecord {
  const { hash: _hash, ...rest } = record;
  return rest;
}

/** The snapshot of a record for an activity. */
export function snapshotOf(odooId: number, record: PublicRecord | null): CrmSnapshot {
  return { odooId, data: record ? record.data : null };
}

/**
 * The record before a change: from the store, or read from Odoo into the store when it has not
 * been synced yet. Throws `not_found` (404) when Odoo has no such record in the entity.
 */
export async function currentRecord(deps: WriteThroughDeps, entity: EntityName, odooId: number): Promise<PublicRecord> {
  const stored = await deps.store.getRecord(entity, odooId);
  if (stored && stored.inactiveReason !== 'deleted') return publicRecord(stored);
  await deps.reconciler.reconcileRecord(entity, odooId);
  const read = await deps.store.getRecord(entity, odooId);
  if (!read || read.inactiveReason === 'deleted') throw new NotFoundError(`Odoo has no ${entity} with id ${odooId}.`);
  return publicRecord(read);
}

/**
 * Reads the record just written from Odoo into the store and answers with it. Never throws:
 * Odoo has accepted the write, so a failure here gives `reconciled: false` and a note.
 */
export async function readBack(deps: WriteThroughDeps, entity: EntityName, odooId: number, requestId: string | undefined): Promise<CrmWriteResult> {
  try {
    const result = await deps.reconciler.reconcileRecord(entity, odooId);
    const record = await deps.store.getRecord(entity, odooId);
    if (result.outcome === 'invalid' || record === null) {
      const note = `Odoo accepted the change, but the record could not be stored (${result.reason ?? result.outcome}); the next sync will try again.`;
      deps.logger.warn({ requestId, entity, odooId, outcome: result.outcome }, 'CRM write accepted by Odoo but not stored');
      return { odooId, reconciled: false, record: record ? publicRecord(record) : null, note };
    }
    return { odooId, reconciled: true, record: publicRecord(record), note: null };
  } catch (err) {
    deps.logger.warn({ requestId, entity, odooId, err: summarizeError(err) }, 'CRM write accepted by Odoo but not read back; the next sync brings it in');
    return {
      odooId,
      reconciled: false,
      record: null,
      note: 'Odoo accepted the change, but it could not be read back from Odoo into the store yet; the next sync brings it in.',
    };
  }
}
