/**
 * Records that point at other records. Odoo changes some rows without a new `write_date`: when a
 * partner is deleted, PostgreSQL clears `partner_id` on its opportunities (`ON DELETE SET NULL`)
 * and the opportunities keep their old `write_date`, so an incremental run never reads them
 * again. The entity specs declare which many2one fields point at which model
 * ({@link FieldSpec.relation}); from that, {@link refreshReferencingRecords} finds the synced
 * records that point at deleted ones and reads them again.
 * @module
 */
import type { Clock } from '../clock.js';
import { type EntityName, type EntitySpec, type FieldSpec, sourceQueryOf } from '../entities/entities.js';
import type { Logger } from '../logger.js';
import { camelCase } from '../entities/odoo-values.js';
import { planReconcile, toSourceRecord } from './plan.js';
import type { RecordStore, SourceReader } from '../ports.js';

/** The many2one fields of one entity that point at a given model. */
export interface ReferencingFields {
  /** The entity whose records hold the fields. */
  entity: EntityName;
  /** The Odoo field names, e.g. `['partner_id']`. */
  fields: string[];
}

/**
 * Which entities point at records of `model`, and through which fields, according to their
 * specs' {@link FieldSpec.relation}. Pure.
 *
 * @example
 * ```ts
 * referencesTo([ENTITY_SPECS.opportunity, ENTITY_SPECS.invoice], 'res.partner');
 * // [{ entity: 'opportunity', fields: ['partner_id'] }, { entity: 'invoice', fields: ['partner_id'] }]
 * ```
 */
export function referencesTo(specs: Iterable<EntitySpec<EntityName, { odooId: number }>>, model: string): ReferencingFields[] {
  const found: ReferencingFields[] = [];
  for (const spec of specs) {
    const fields = spec.fields.filter((field: FieldSpec) => field.kind === 'many2one' && field.relation === model).map((field) => field.odoo);
    if (fields.length > 0) found.push({ entity: spec.name, fields });
  }
  return found;
}

/** True when one of `fields` (Odoo names) of the normalised `data` names one of `ids`. Pure. */
export function pointsAtAny(data: unknown, fields: readonly string[], ids: ReadonlySet<number>): boolean {
  if (data === null || typeof data !== 'object') return false;
  for (const field of fields) {
    const value = (data as Record<string, unknown>)[camelCase(field)];
    if (value !== null && typeof value === 'object' && ids.has((value as { id?: unknown }).id as number)) return true;
  }
  return false;
}

/** What {@link refreshReferencingRecords} needs. */
export interface ReferenceRefreshDeps {
  /** Where Odoo rows come from. */
  source: SourceReader;
  /** Where the synced records are. */
  store: RecordStore;
  /** The specs of the entities to look through (the synced ones). */
  specs: Iterable<EntitySpec>;
  /** Time of the writes. */
  clock: Clock;
  /** Logs what was refreshed. */
  logger: Logger;
  /** Records read per store page and ids per Odoo read. */
  pageSize: number;
}

/** What {@link refreshReferencingRecords} did, per referencing entity. */
export interface ReferenceRefreshResult {
  /** The referencing entity. */
  entity: EntityName;
  /** Stored records that pointed at a deleted record. */
  found: number;
  /** Of those, how many changed when read again. */
  updated: number;
}

/**
 * Reads again from Odoo every synced record that points (through a declared many2one) at one of
 * `deletedIds` of `model`, and applies what changed. Records Odoo no longer returns are left to
 * their own entity's deletion sweep (and its mass-deletion guard). Each referencing entity is
 * scanned once, page by page, so memory holds one page and the ids found.
 */
export async function refreshReferencingRecords(
  deps: ReferenceRefreshDeps,
  model: string,
  deletedIds: readonly number[],
  signal?: AbortSignal,
): Promise<ReferenceRefreshResult[]> {
  if (deletedIds.length === 0) return [];
  const specs = new Map([...deps.specs].map((spec) => [spec.name, spec]));
  const gone = new Set(deletedIds);
  const results: ReferenceRefreshResult[] = [];
  for (const { entity, fields } of referencesTo(specs.values(), model)) {
    const spec = specs.get(entity) as EntitySpec;
    const pointing: number[] = [];
    let cursor: string | null = null;
    do {
      signal?.throwIfAborted();
      const page = await deps.store.queryRecords(entity, { includeInactive: true, limit: Math.min(deps.pageSize, 1000), cursor });
      for (const record of page.items) {
        if (record.inactiveReason !== 'deleted' && pointsAtAny(record.data, fields, gone)) pointing.push(record.odooId);
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    let updated = 0;
    for (let i = 0; i < pointing.length; i += deps.pageSize) {
      signal?.throwIfAborted();
      const ids = pointing.slice(i, i + deps.pageSize);
      const rows = await deps.source.readByIds(sourceQueryOf(spec), ids, signal ? { signal } : {});
      const plan = planReconcile(
        rows.map((row) => toSourceRecord(spec, row)),
        await deps.store.getStates(entity, ids),
      );
      const writes = [...plan.inserts, ...plan.updates, ...plan.reactivations, ...plan.archives];
      if (writes.length > 0) await deps.store.upsertRecords(entity, writes, deps.clock.now());
      updated += writes.length;
    }
    if (pointing.length > 0) {
      deps.logger.info({ entity, model, deleted: deletedIds.length, found: pointing.length, updated }, 'records pointing at deleted ones read again');
    }
    results.push({ entity, found: pointing.length, updated });
  }
  return results;
}
