/**
 * Store benchmark: `pnpm bench` here, or `pnpm bench:store` at the root.
 *
 * Writes BENCH_RECORDS contacts (default 100 000) in pages of 1000 the way the Reconciler does
 * (getStates → planReconcile → upsertRecords), then re-plans them unchanged, then with 1 % of
 * them changed, then runs the deletion sweep and some filtered queries. Prints records/second
 * per phase (store and planning time only; making the source records is not counted) and
 * the peak resident memory of the process.
 *
 * BENCH_SYNCHRONOUS=full measures with fsync on every commit.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreBenchmark } from '@odoo-sync/core/testing';
import { SqliteStore } from '../src/index.js';

const TOTAL = Number(process.env['BENCH_RECORDS'] ?? 100_000);
const synchronous = process.env['BENCH_SYNCHRONOUS'] === 'full' ? 'full' : 'normal';
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-bench-'));
  const path = join(dir, 'bench.db');
  const store = new SqliteStore({ path, synchronous });
  try {
    console.log(
      `sqlite-store bench: ${TOTAL.toLocaleString('en-US')} contacts in pages of 1000, synchronous=${synchronous}, ` +
        `Node ${process.version}; RSS before writing ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`,
    );
    await runStoreBenchmark(store, { records: TOTAL });
    await store.close();
    const size = (name: string): number => {
      try {
        return statSync(join(dir, name)).size;
      } catch {
        return 0;
      }
    };
    console.log(`database file ${(size('bench.db') / 1024 / 1024).toFixed(1)} MB; peak RSS ${peakRssMb()} MB`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
