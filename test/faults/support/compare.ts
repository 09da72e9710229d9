/**
 * The one check every fault scenario ends with: the store, record by record, against the
 * simulator's own database, read through the entity definitions (domain, fields, mapping).
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import {
  ENTITY_NAMES,
  type EntityName,
  type EntitySpec,
  getEntitySpec,
  type RecordStore,
  type SyncedRecord,
} from '@odoo-sync/core';
import { mapOdooRow, odooFieldsOf } from '../../../packages/core/src/entities/entities.js';
import type { OdooSim } from '@odoo-sync/odoo-sim';

/** One disagreement between the store and Odoo. */
export interface Mismatch {
  /** Entity. */
  entity: EntityName;
  /** Odoo id. */
  odooId: number;
  /** `missing`: in Odoo, not live in the store; `extra`: live in the store, not in Odoo; `different`: both, not equal. */
  kind: 'missing' | 'extra' | 'different';
  /** What differs, for the failure message. */
  detail: string;
}

/** What {@link compareStoreWithSim} found. */
export interface Comparison {
  /** Records compared (Odoo rows of every entity, plus stored records Odoo no longer has). */
  compared: number;
  /** Odoo rows that do not map to a valid record (never stored, never expected). */
  invalid: number;
  /** Counts by kind. */
  missing: number;
  /** Live in the store, gone (or out of the domain) in Odoo. */
  extra: number;
  /** Stored data or state not equal to Odoo's. */
  different: number;
  /** Of `missing`: records the store marked deleted although Odoo still has them (data loss). */
  wronglyDeleted: number;
  /** The first few disagreements, for a readable failure. */
  mismatches: Mismatch[];
}

const SHOWN = 20;

async function storedRecords(store: RecordStore, entity: EntityName): Promise<Map<number, SyncedRecord>> {
  const records = new Map<number, SyncedRecord>();
  let cursor: string | null = null;
  do {
    const page = await store.queryRecords(entity, { includeInactive: true, limit: 1000, cursor });
    for (const record of page.items) records.set(record.odooId, record);
    cursor = page.nextCursor;
  } while (cursor);
  return records;
}

/**
 * Compares every entity: each Odoo row of the entity's domain (archived included) mapped with
 * the entity's own mapping must be stored with equal data and the same active/archived state;
 * every live stored record must still be such a row in Odoo. Deleted (tombstoned) records are
 * only checked for not being in Odoo any more.
 */
export async function compareStoreWithSim(store: RecordStore, sim: OdooSim, entities: readonly EntityName[] = ENTITY_NAMES): Promise<Comparison> {
  const result: Comparison = { compared: 0, invalid: 0, missing: 0, extra: 0, different: 0, wronglyDeleted: 0, mismatches: [] };
  const note = (mismatch: Mismatch) => {
    result[mismatch.kind]++;
    if (result.mismatches.length < SHOWN) result.mismatches.push(mismatch);
  };
  for (const entity of entities) {
    const spec: EntitySpec<EntityName, { odooId: number }> = getEntitySpec(entity);
    const rows = sim.searchRead(spec.model, [...spec.domain] as unknown[], { fields: odooFieldsOf(spec), activeTest: false, order: 'id asc' });
    const stored = await storedRecords(store, entity);
    const seen = new Set<number>();
    for (const row of rows) {
      const id = row['id'];
      seen.add(id);
      const mapped = mapOdooRow(spec, row as { id: number });
      if (!mapped.ok) {
        result.invalid++;
        const kept = stored.get(id);
        // The sync stores only valid rows; one that became invalid keeps its last valid version.
        if (kept && kept.inactiveReason === 'deleted') note({ entity, odooId: id, kind: 'missing', detail: 'invalid in Odoo and tombstoned' });
        continue;
      }
      result.compared++;
      const record = stored.get(id);
      if (!record || record.inactiveReason === 'deleted') {
        if (record) result.wronglyDeleted++;
        note({ entity, odooId: id, kind: 'missing', detail: record ? 'stored as deleted' : 'not stored' });
        continue;
      }
      const active = spec.hasActive ? row['active'] !== false : true;
      if (record.isActive !== active) {
        note({ entity, odooId: id, kind: 'different', detail: `active: store ${record.isActive}, Odoo ${active}` });
      } else if (!isDeepStrictEqual(record.data, mapped.record)) {
        const keys = Object.keys(mapped.record).filter(
          (key) => !isDeepStrictEqual((record.data as Record<string, unknown>)[key], (mapped.record as Record<string, unknown>)[key]),
        );
        const first = keys[0] ?? '(record)';
        note({
          entity,
          odooId: id,
          kind: 'different',
          detail: `${keys.join(', ')}: store ${JSON.stringify((record.data as Record<string, unknown>)[first])}, Odoo ${JSON.stringify((mapped.record as Record<string, unknown>)[first])}`,
        });
      }
    }
    for (const [id, record] of stored) {
      if (seen.has(id)) continue;
      result.compared++;
      if (record.inactiveReason !== 'deleted') note({ entity, odooId: id, kind: 'extra', detail: `stored ${record.isActive ? 'active' : 'archived'}, not in Odoo` });
    }
  }
  return result;
}

/** A one-line summary and the first mismatches, for `expect(...).toEqual(...)` messages. */
export function describeComparison(comparison: Comparison): string {
  const head = `${comparison.compared} compared: ${comparison.missing} missing, ${comparison.extra} extra, ${comparison.different} different`;
  return [head, ...comparison.mismatches.map((m) => `  ${m.kind} ${m.entity} ${m.odooId}: ${m.detail}`)].join('\n');
}
