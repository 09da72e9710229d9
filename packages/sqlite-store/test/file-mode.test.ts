import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { silentLogger, type Logger } from '@odoo-sync/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { tempDatabase } from './helpers.js';

const modeOf = (path: string): number => statSync(path).mode & 0o777;
const octal = (mode: number): string => `0${mode.toString(8)}`;

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.reverse()) step();
  cleanup = [];
});

function warnings(): Logger & { warned: { fields: Record<string, unknown>; message: string }[] } {
  const warned: { fields: Record<string, unknown>; message: string }[] = [];
  return { ...silentLogger, warned, warn: (fields, message) => void warned.push({ fields, message }) };
}

describe('file permissions', () => {
  it('creates the database, -wal and -shm files readable by their owner only (0600)', async () => {
    const { path, remove } = tempDatabase('sqlite-mode-');
    cleanup.push(remove);
    const store = new SqliteStore({ path });
    try {
      // A write while the connection is open: the WAL and its index exist now.
      expect(await store.acquireLease('mode-test', 'me', 60_000, new Date('2026-01-01T00:00:00Z'))).not.toBeNull();
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(file), file).toBe(true);
        expect([file, octal(modeOf(file))]).toEqual([file, '0600']);
      }
    } finally {
      await store.close();
    }
    expect(octal(modeOf(path))).toBe('0600');
  });

  it('leaves an existing file as it is, warns when others can read it, and still opens it', async () => {
    const { path, remove } = tempDatabase('sqlite-mode-');
    cleanup.push(remove);
    const first = new SqliteStore({ path });
    await first.acquireLease('kept', 'me', 60_000, new Date('2026-01-01T00:00:00Z'));
    await first.close();
    chmodSync(path, 0o644);
    const logger = warnings();
    const store = new SqliteStore({ path, logger });
    try {
      expect(await store.getLease('kept', new Date('2026-01-01T00:00:01Z'))).toMatchObject({ owner: 'me' });
      expect(octal(modeOf(path))).toBe('0644');
      expect(logger.warned).toHaveLength(1);
      expect(logger.warned[0]?.fields).toMatchObject({ path, mode: '0644' });
      expect(logger.warned[0]?.message).toContain('chmod 600');
    } finally {
      await store.close();
    }
  });

  it('does not warn about a private existing file, nor touch an empty one it did not create', async () => {
    const { path, remove } = tempDatabase('sqlite-mode-');
    cleanup.push(remove);
    writeFileSync(path, '', { mode: 0o640 });
    chmodSync(path, 0o600);
    const logger = warnings();
    const store = new SqliteStore({ path, logger });
    await store.close();
    expect(logger.warned).toEqual([]);
    expect(octal(modeOf(path))).toBe('0600');
  });

  it('an in-memory store creates no file', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.close();
    expect(existsSync(':memory:')).toBe(false);
  });
});
