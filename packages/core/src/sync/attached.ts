/**
 * Records attached to records stored late. A chatter message projected before the partner it is
 * on was stored names no entity (the projection cannot tell an account from a contact), and
 * Odoo gives the message no new `write_date` when the partner arrives. So when an entity stores
 * records for the first time, the stored records of the entities declared
 * {@link EntitySpec.attachedTo} its model that point at them are projected again, from the
 * store: one indexed query per new record and attached entity, no read from Odoo.
 * @module
 */
import type { EntityDefinition, EntitySpec } from '../entities/entities.js';
import type { RecordStore } from '../ports.js';
import type { RecordProjector } from './reconciler-options.js';

/** Records per page read from the store and per projection call. */
const PAGE = 500;

/** What {@link projectAttached} needs. */
export interface ProjectAttachedDeps {
  /** Where the synced records are. */
  store: Pick<RecordStore, 'queryRecords'>;
  /** Gets the records projected again. */
  projector: RecordProjector;
  /** The entities synced (those attached to `spec`'s model are looked through). */
  specs: readonly EntityDefinition[];
  /** Wraps each store or projector call (errors as `StoreError`). */
  storeCall<T>(operation: string, call: () => Promise<T>): Promise<T>;
}

/** The entities with activities attached to records of `model`, besides `except`. Pure. */
export function attachedEntities(specs: readonly EntityDefinition[], model: string, except?: string): EntityDefinition[] {
  return specs.filter((spec: EntitySpec) => spec.activities !== undefined && spec.name !== except && (spec.attachedTo?.models ?? []).includes(model));
}

/**
 * Projects again the stored records (archived and deleted included: their activities stay on
 * the timeline) of every entity attached to `spec`'s model that point at one of `newIds`, which
 * `spec` has just stored. An attached entity with no record at all (a first run, where it runs
 * after `spec`) costs one query. Resolves with how many records were projected again.
 */
export async function projectAttached(deps: ProjectAttachedDeps, spec: EntityDefinition, newIds: readonly number[]): Promise<number> {
  if (newIds.length === 0) return 0;
  let projected = 0;
  for (const attached of attachedEntities(deps.specs, spec.model, spec.name)) {
    const { model, id } = attached.attachedTo as NonNullable<EntitySpec['attachedTo']>;
    const any = await deps.storeCall('queryRecords', () => deps.store.queryRecords(attached.name, { includeInactive: true, limit: 1 }));
    if (any.items.length === 0) continue;
    let batch: { odooId: number }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const records = batch;
      batch = [];
      await deps.storeCall('projectActivities', () => deps.projector.project(attached, records));
      projected += records.length;
    };
    for (const odooId of new Set(newIds)) {
      let cursor: string | null = null;
      do {
        const page = await deps.storeCall('queryRecords', () =>
          deps.store.queryRecords(attached.name, { includeInactive: true, where: { [model]: spec.model, [id]: odooId }, limit: PAGE, cursor }),
        );
        for (const record of page.items) batch.push(record.data);
        if (batch.length >= PAGE) await flush();
        cursor = page.nextCursor;
      } while (cursor !== null);
    }
    await flush();
  }
  return projected;
}
