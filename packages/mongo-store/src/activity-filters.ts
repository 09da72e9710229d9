/**
 * Compiles a checked activity filter into a MongoDB filter on the `activities` collection,
 * with the same meaning as MemoryStore's: pure, no I/O. Caller text only ever appears as a
 * value (the title text as an escaped regular expression), never as an operator or field.
 * @module
 */
import type { CheckedActivityQuery } from '@odoo-sync/core/store-kit';
import type { Document, Filter } from 'mongodb';

/** A regular expression matching `text` literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * The filter of one page: equality on the indexed fields (`$in` for several types, which
 * MongoDB walks as one merged index scan per type), a range on `timestamp`, the title text
 * against `titleKey` (the title in core's `titleKey` form, kept beside it), and the keyset
 * cursor `(timestamp, _id) < (t, id)`. An activity stored before sources existed counts as `app`.
 */
export function activityFilter(query: CheckedActivityQuery): Filter<Document> {
  const conditions: Filter<Document>[] = [];
  if (query.types !== null) {
    conditions.push(query.types.length === 1 ? { activityType: { $eq: query.types[0] } } : { activityType: { $in: query.types } });
  }
  if (query.entityType !== null) conditions.push({ entityType: { $eq: query.entityType } });
  if (query.entityId !== null) conditions.push({ entityId: { $eq: query.entityId } });
  if (query.userId !== null) conditions.push({ userId: { $eq: query.userId } });
  if (query.source !== null) conditions.push({ source: query.source === 'app' ? { $in: ['app', null] } : { $eq: query.source } });
  if (query.titleContains !== null) conditions.push({ titleKey: { $regex: literal(query.titleContains) } });
  const time: Record<string, Date> = {};
  if (query.fromMs !== null) time.$gte = new Date(query.fromMs);
  if (query.toMs !== null) time.$lt = new Date(query.toMs);
  if (Object.keys(time).length > 0) conditions.push({ timestamp: time });
  if (query.visibleTo !== null) {
    // Their own, or on an entity type they may read: each branch walks its own index.
    const own: Filter<Document> = { userId: { $eq: query.visibleTo.userId } };
    const types = query.visibleTo.entityTypes;
    conditions.push(types.length === 0 ? own : ({ $or: [own, { entityType: { $in: types } }] }));
  }
  if (query.after !== null) {
    const at = new Date(Date.parse(query.after[0]));
    const older: Filter<Document> = { $or: [{ timestamp: { $lt: at } }, { timestamp: at, _id: { $lt: query.after[1] } }] } as Filter<Document>;
    conditions.push(older);
  }
  if (conditions.length === 0) return {};
  if (conditions.length === 1) return conditions[0] as Filter<Document>;
  return { $and: conditions };
}
