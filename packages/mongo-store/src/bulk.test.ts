import { describe, expect, it } from 'vitest';
import type { AnyBulkWriteOperation, BulkWriteOptions } from 'mongodb';
import { chunk, writeBatches } from './bulk.js';

type Call = { operations: ReadonlyArray<AnyBulkWriteOperation>; options: BulkWriteOptions | undefined };

function fakeCollection(failures: (Error | undefined)[] = []) {
  const calls: Call[] = [];
  return {
    calls,
    async bulkWrite(operations: ReadonlyArray<AnyBulkWriteOperation>, options?: BulkWriteOptions) {
      calls.push({ operations, options });
      const failure = failures.shift();
      if (failure) throw failure;
      return {};
    },
  };
}

const insert = (n: number): AnyBulkWriteOperation => ({ insertOne: { document: { n } } });
const upsert = (n: number): AnyBulkWriteOperation => ({ updateOne: { filter: { n }, update: { $set: { n } }, upsert: true } });

/** What a MongoBulkWriteError looks like to the code (duck-typed). */
function bulkError(codes: number[]) {
  return Object.assign(new Error('bulk write failed'), { name: 'MongoBulkWriteError', code: codes[0], writeErrors: codes.map((code, index) => ({ index, code })) });
}

describe('chunk', () => {
  it('splits into consecutive chunks of at most the size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});

describe('writeBatches', () => {
  it('sends unordered bulk writes of at most batchSize items, in order', async () => {
    const collection = fakeCollection();
    const items = Array.from({ length: 2500 }, (_, i) => i);
    await writeBatches(collection, items, { batchSize: 1000, plan: async (batch) => batch.map(insert), replan: (batch) => batch.map(upsert) });
    expect(collection.calls.map((c) => c.operations.length)).toEqual([1000, 1000, 500]);
    expect(collection.calls.every((c) => c.options?.ordered === false)).toBe(true);
    expect(collection.calls[2]?.operations[0]).toEqual(insert(2000));
  });

  it('skips a batch whose plan is empty', async () => {
    const collection = fakeCollection();
    await writeBatches(collection, [1, 2], { batchSize: 10, plan: async () => [], replan: (batch) => batch.map(upsert) });
    expect(collection.calls).toHaveLength(0);
  });

  it('writes a batch again as upserts when it failed only with duplicate keys', async () => {
    const collection = fakeCollection([undefined, bulkError([11000, 11000])]);
    const retried: number[] = [];
    await writeBatches(collection, [1, 2, 3, 4], {
      batchSize: 2,
      plan: async (batch) => batch.map(insert),
      replan: (batch) => batch.map(upsert),
      onRetry: (_error, index) => retried.push(index),
    });
    expect(retried).toEqual([1]);
    expect(collection.calls.map((c) => c.operations)).toEqual([[insert(1), insert(2)], [insert(3), insert(4)], [upsert(3), upsert(4)]]);
  });

  it('throws any other failure, including a duplicate key mixed with other errors, without retrying', async () => {
    const mixed = fakeCollection([bulkError([11000, 121])]);
    await expect(writeBatches(mixed, [1, 2], { batchSize: 2, plan: async (b) => b.map(insert), replan: (b) => b.map(upsert) })).rejects.toThrow('bulk write failed');
    expect(mixed.calls).toHaveLength(1);
    const network = fakeCollection([Object.assign(new Error('socket closed'), { name: 'MongoNetworkError' })]);
    await expect(writeBatches(network, [1], { batchSize: 2, plan: async (b) => b.map(insert), replan: (b) => b.map(upsert) })).rejects.toThrow('socket closed');
    expect(network.calls).toHaveLength(1);
  });
});
