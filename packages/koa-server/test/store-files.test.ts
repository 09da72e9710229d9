import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../src/runtime/logger.js';
import { openStore } from '../src/runtime/composition.js';

const modeOf = (path: string): string => `0${(statSync(path).mode & 0o777).toString(8)}`;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('a SQLite store in a missing directory: the directories are created 0700, the files 0600', async () => {
  const root = mkdtempSync(join(tmpdir(), 'odoo-sync-files-'));
  dirs.push(root);
  const path = join(root, 'data', 'nested', 'odoo-sync.db');
  const store = await openStore({ kind: 'sqlite', path }, createLogger({ level: 'silent' }));
  try {
    await store.acquireLease('files', 'me', 60_000, new Date('2026-01-01T00:00:00Z'));
    expect([modeOf(join(root, 'data')), modeOf(join(root, 'data', 'nested'))]).toEqual(['0700', '0700']);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      expect(existsSync(file), file).toBe(true);
      expect([file, modeOf(file)]).toEqual([file, '0600']);
    }
  } finally {
    await store.close();
  }
});

it('an existing data directory keeps its mode (it may be shared on purpose)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'odoo-sync-files-'));
  dirs.push(root);
  const data = join(root, 'data');
  mkdirSync(data, { mode: 0o750 });
  const store = await openStore({ kind: 'sqlite', path: join(data, 'odoo-sync.db') }, createLogger({ level: 'silent' }));
  await store.close();
  expect(modeOf(data)).toBe('0750');
  expect(modeOf(join(data, 'odoo-sync.db'))).toBe('0600');
});
