/**
 * Unordered bulk writes in bounded batches, with the duplicate-key race handled.
 * @module
 */
import type { AnyBulkWriteOperation, BulkWriteOptions, Document } from 'mongodb';
import { isDuplicateKeyError } from './driver-errors.js';

/** Largest number of operations MongoStore sends in one bulk write. */
export const MAX_BATCH_SIZE = 1000;

/** The one collection method the batch writer needs (a `Collection` fits). */
export interface BulkWriter<T extends Document> {
  bulkWrite(operations: ReadonlyArray<AnyBulkWriteOperation<T>>, options?: BulkWriteOptions): Promise<unknown>;
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Options of {@link writeBatches}. */
export interface WriteBatchesOptions<I, T extends Document> {
  /** Items per bulk write, 1–1000. */
  batchSize: number;
  /** Builds a batch's operations (may read the database first, e.g. to tell inserts from updates). */
  plan(batch: readonly I[]): Promise<AnyBulkWriteOperation<T>[]>;
  /**
   * Builds the operations of a batch that lost a duplicate-key race: each item as an upsert
   * that is correct whether or not the document now exists.
   */
  replan(batch: readonly I[]): AnyBulkWriteOperation<T>[];
  /** Told when a batch is retried after a duplicate key error. */
  onRetry?: (error: unknown, batchIndex: number) => void;
}

/**
 * Writes `items` in unordered bulk writes of at most `batchSize` items. When a batch fails only
 * with duplicate key errors (another writer inserted one of its documents between our read and
 * our insert), the whole batch is written again as upserts: every operation is idempotent, so
 * repeating the ones that did succeed changes nothing, and a server that rejects a whole batch
 * on one duplicate (as some stand-ins do) ends in the same state. Any other failure is thrown.
 */
export async function writeBatches<I, T extends Document>(
  collection: BulkWriter<T>,
  items: readonly I[],
  options: WriteBatchesOptions<I, T>,
): Promise<void> {
  const batches = chunk(items, options.batchSize);
  for (const [index, batch] of batches.entries()) {
    const operations = await options.plan(batch);
    if (operations.length === 0) continue;
    try {
      await collection.bulkWrite(operations, { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      options.onRetry?.(error, index);
      await collection.bulkWrite(options.replan(batch), { ordered: false });
    }
  }
}
