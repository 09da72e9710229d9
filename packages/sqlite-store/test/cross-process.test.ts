/**
 * Tests with a second OS process on the same file: acknowledged writes survive SIGKILL, and
 * leases stay exclusive across processes.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { contactRecordWrite, LEASE_RACE_NAMES, RACE_NOW } from './fixtures/shared.js';
import { tempDatabase, withRawDatabase } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');
const childScript = join(here, 'fixtures', 'child-store.ts');

type Child = ChildProcessByStdio<Writable, Readable, Readable>;
const children: Child[] = [];
const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Starts the child on the TypeScript sources: tsx as loader, sibling packages by their source condition. */
function startChild(args: string[]): Child {
  const child = spawn(process.execPath, ['--conditions=@odoo-sync/source', '--import', 'tsx', childScript, ...args], {
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** Calls `onLine` for each line the child prints; collects its stderr for failure messages. */
function lines(child: Child, onLine: (line: string) => void): { stderr: () => string } {
  let buffer = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      onLine(line);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { stderr: () => stderr };
}

function exited(child: Child): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('durability', () => {
  for (const synchronous of ['normal', 'full'] as const) {
    it(`keeps every acknowledged write after the writing process is SIGKILLed (synchronous=${synchronous})`, async () => {
      const temp = tempDatabase('sqlite-store-durability-');
      cleanups.push(temp.remove);
      const child = startChild(['write', temp.path, synchronous]);
      let acked = 0;
      let acks = 0;
      const output = lines(child, (line) => {
        const match = /^acked (\d+)$/.exec(line);
        if (!match) return;
        acked = Math.max(acked, Number(match[1]));
        // Kill while the child is still writing: later batches are in flight or half-done.
        if (++acks === 40) child.kill('SIGKILL');
      });
      const { signal, code } = await exited(child);
      expect({ signal, code, stderr: output.stderr() }).toMatchObject({ signal: 'SIGKILL', code: null });
      expect(acked).toBeGreaterThanOrEqual(40 * 50);

      expect(withRawDatabase(temp.path, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
      const store = new SqliteStore(temp.path);
      try {
        const ids = Array.from({ length: acked }, (_, i) => i + 1);
        const states = await store.getStates('contact', ids);
        const missing = ids.filter((id) => states.get(id)?.hash !== contactRecordWrite(id).hash);
        expect(missing).toEqual([]);
        expect((await store.getRecord('contact', acked))?.data).toEqual(contactRecordWrite(acked).data);
        // Whole batches only: whatever landed beyond the last ack is a multiple of the batch size.
        expect((await store.listLiveIds('contact')).length % 50).toBe(0);
      } finally {
        await store.close();
      }
    });
  }
});

describe('leases across processes', () => {
  it('grants each contended lease to exactly one of two processes sharing the file', async () => {
    const temp = tempDatabase('sqlite-store-lease-');
    cleanups.push(temp.remove);
    const store = new SqliteStore(temp.path);
    try {
      const child = startChild(['lease', temp.path]);
      let childWon: string[] | null = null;
      const ready = new Promise<void>((resolve) => {
        lines(child, (line) => {
          if (line === 'ready') resolve();
          else if (line.startsWith('[')) childWon = JSON.parse(line) as string[];
        });
      });
      await Promise.race([ready, exited(child).then(({ code }) => Promise.reject(new Error(`child exited early (${code})`)))]);
      child.stdin.write('go\n');
      const parentWon: string[] = [];
      for (const name of LEASE_RACE_NAMES) {
        if (await store.acquireLease(name, 'parent', 60_000, new Date(RACE_NOW))) parentWon.push(name);
        // Let the event loop run (the "go" reaches the child) so both processes race.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await exited(child)).toEqual({ code: 0, signal: null });
      const won = [...parentWon, ...(childWon ?? [])];
      expect(won.sort()).toEqual([...LEASE_RACE_NAMES].sort());
      for (const name of LEASE_RACE_NAMES) {
        const holder = (await store.getLease(name, new Date(RACE_NOW)))?.owner;
        expect(holder).toBe(parentWon.includes(name) ? 'parent' : 'child');
      }
    } finally {
      await store.close();
    }
  });
});

describe('closing', () => {
  it('a process that wrote a page on the write thread closes the store and ends on its own, with the page stored', async () => {
    const temp = tempDatabase('sqlite-store-close-');
    cleanups.push(temp.remove);
    const child = startChild(['close', temp.path]);
    const printed: string[] = [];
    const output = lines(child, (line) => printed.push(line));
    expect({ ...(await exited(child)), stderr: output.stderr() }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(printed).toEqual(['closed']);
    expect(withRawDatabase(temp.path, (db) => db.prepare('SELECT count(*) FROM records').pluck().get())).toBe(1000);
  });
});
