import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { RecordWrite } from '@odoo-sync/core/store-kit';
import { SqliteStore } from '../src/index.js';
import { connectionOf } from '../src/sync-store.js';
import { WriteWorker } from '../src/write-worker.js';
import { silentLogger } from '@odoo-sync/core';
import { tempDatabase, withRawDatabase } from './helpers.js';

const AT = new Date('2026-03-01T10:00:00.000Z');

function writes(count: number, name = 'Person', first = 1): RecordWrite[] {
  return Array.from({ length: count }, (_, i) => {
    const odooId = first + i;
    return {
      odooId,
      data: { odooId, name: `${name} ${odooId}`, email: `p${odooId}@example.com`, userId: { id: odooId % 7, name: 'u' } },
      hash: `${name}-${odooId}`,
      isActive: true,
      inactiveReason: null,
      odooWriteDate: '2026-03-01T09:00:00.000Z',
    };
  });
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(options: { writeThread?: boolean; busyTimeoutMs?: number } = {}) {
  const db = tempDatabase('write-thread-');
  const store = SqliteStore.open({ path: db.path, ...options });
  cleanups.push(db.remove, () => store.close());
  return { store, path: db.path, writer: connectionOf(store).writer };
}

describe('SqliteStore write thread', () => {
  it("writes a sync page on its thread: the event loop runs while SQLite writes, and the rows are there when the call resolves", async () => {
    const { store, path, writer } = open();
    const order: string[] = [];
    const written = store.upsertRecords('contact', writes(3000), AT).then(() => order.push('written'));
    setImmediate(() => order.push('event loop'));
    expect(writer?.busy).toBe(true);
    await written;
    expect(order).toEqual(['event loop', 'written']);
    expect(writer?.running).toBe(true);
    expect(await store.countRecords('contact')).toEqual({ active: 3000, archived: 0, deleted: 0 });
    const row = withRawDatabase(path, (db) => db.prepare('SELECT data, hash, user_id FROM records WHERE entity = ? AND odoo_id = ?').get('contact', 2999)) as Record<string, unknown>;
    expect(row).toEqual({ data: JSON.stringify(writes(1, 'Person', 2999)[0]!.data), hash: 'Person-2999', user_id: 2999 % 7 });
  });

  it('commits upserts in the order they were made, small ones included, while a page is in flight', async () => {
    const { store } = open();
    const big = store.upsertRecords('contact', writes(2000, 'First'), AT);
    // Small enough to be written on the event loop, but a page is in flight on the thread:
    // it goes behind it, so it is not overwritten by the older data.
    const small = store.upsertRecords('contact', writes(5, 'Second'), AT);
    await Promise.all([big, small]);
    expect((await store.getRecord('contact', 3))?.data).toMatchObject({ name: 'Second 3' });
    expect((await store.getRecord('contact', 6))?.data).toMatchObject({ name: 'First 6' });
  });

  it('writes on the event loop with writeThread: false, and for :memory:', async () => {
    const { store, writer } = open({ writeThread: false });
    expect(writer).toBeNull();
    const order: string[] = [];
    const written = store.upsertRecords('contact', writes(1000), AT).then(() => order.push('written'));
    setImmediate(() => order.push('event loop'));
    await written;
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['written', 'event loop']);
    const memory = SqliteStore.open(':memory:');
    cleanups.push(() => memory.close());
    expect(connectionOf(memory).writer).toBeNull();
    await memory.upsertRecords('contact', writes(1000), AT);
    expect(await memory.countRecords('contact')).toMatchObject({ active: 1000 });
  });

  it("fails a page with a retryable store_error when another connection holds the write lock, and commits none of it", async () => {
    const { store, path } = open({ busyTimeoutMs: 50 });
    const other = new Database(path);
    cleanups.push(() => void other.close());
    other.exec('BEGIN IMMEDIATE');
    const error = await store.upsertRecords('contact', writes(1000), AT).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: 'store_error', retryable: true, message: expect.stringContaining('SQLITE_BUSY') });
    other.exec('ROLLBACK');
    expect(await store.countRecords('contact')).toMatchObject({ active: 0 });
    await store.upsertRecords('contact', writes(1000), AT);
    expect(await store.countRecords('contact')).toMatchObject({ active: 1000 });
  });

  it('close() lets the writes in flight commit, then stops the thread; later writes are refused', async () => {
    const db = tempDatabase('write-thread-');
    cleanups.push(db.remove);
    const store = SqliteStore.open(db.path);
    const writer = connectionOf(store).writer!;
    const written = store.upsertRecords('contact', writes(2000), AT);
    await store.close();
    await written;
    expect(writer.running).toBe(false);
    await expect(store.upsertRecords('contact', writes(1000), AT)).rejects.toMatchObject({ code: 'store_error' });
    expect(withRawDatabase(db.path, (raw) => raw.prepare('SELECT count(*) AS n FROM records').get())).toEqual({ n: 2000 });
  });

  it('checks the writeThread option', () => {
    expect(() => SqliteStore.open({ path: ':memory:', writeThread: 'yes' as unknown as boolean })).toThrow(/"writeThread" must be a boolean/);
  });

  it('lets a process exit once its writes are done, and close() finishes before it does', async () => {
    const db = tempDatabase('write-thread-');
    cleanups.push(db.remove);
    const script = fileURLToPath(new URL('./fixtures/write-thread-child.ts', import.meta.url));
    for (const mode of ['close', 'leave-open']) {
      const child = spawn(process.execPath, ['--conditions=@odoo-sync/source', '--import', 'tsx', script, db.path, mode], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      // An idle write thread does not keep the process alive, and an awaited close() is not cut
      // short by the process exiting under it (exit code 13: unsettled top-level await).
      expect({ mode, code, out, err }).toEqual({ mode, code: 0, out: mode === 'close' ? 'written\nclosed\n' : 'written\n', err: '' });
    }
    expect(withRawDatabase(db.path, (raw) => raw.prepare('SELECT count(*) AS n FROM records').get())).toEqual({ n: 1000 });
  }, 30_000);

  it('stops its thread when idle and starts it again for the next write', async () => {
    const db = tempDatabase('write-worker-');
    cleanups.push(db.remove);
    const store = SqliteStore.open(db.path);
    cleanups.push(() => store.close());
    const worker = new WriteWorker({
      path: db.path,
      synchronous: 'normal',
      busyTimeoutMs: 1000,
      walAutocheckpointPages: 1000,
      journalSizeLimitBytes: 1 << 20,
      logger: silentLogger,
      idleMs: 20,
    });
    cleanups.push(() => worker.close());
    expect(worker.running).toBe(false);
    expect(await worker.run('test', [["INSERT INTO settings (key, value) VALUES ('a', '1')", []]])).toBe(1);
    expect(worker.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(worker.running).toBe(false);
    expect(await worker.run('test', [["INSERT INTO settings (key, value) VALUES ('b', '2')", []]])).toBe(1);
    expect(await store.getSetting('b')).toBe(2);
  });

  it('reports a failed statement as a store_error naming the operation, and rolls the whole transaction back', async () => {
    const db = tempDatabase('write-worker-');
    cleanups.push(db.remove);
    const store = SqliteStore.open(db.path);
    cleanups.push(() => store.close());
    const worker = new WriteWorker({ path: db.path, synchronous: 'full', busyTimeoutMs: 1000, walAutocheckpointPages: 1000, journalSizeLimitBytes: 1 << 20, logger: silentLogger });
    cleanups.push(() => worker.close());
    const failed = worker.run('upsertThings', [
      ["INSERT INTO settings (key, value) VALUES ('a', '1')", []],
      ['INSERT INTO no_such_table VALUES (1)', []],
    ]);
    await expect(failed).rejects.toMatchObject({ code: 'store_error', retryable: false, message: expect.stringMatching(/SQLite upsertThings failed \(SQLITE_ERROR\): no such table/) });
    expect(await store.getSetting('a')).toBeUndefined();
  });
});
