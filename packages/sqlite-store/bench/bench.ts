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
import { performance } from 'node:perf_hooks';
import type { Contact, RecordWrite, SourceRecord } from '@odoo-sync/core';
import { planDeletions, planReconcile, stableHash } from '@odoo-sync/core';
import { SqliteStore } from '../src/index.js';

const TOTAL = Number(process.env['BENCH_RECORDS'] ?? 100_000);
const PAGE = 1000;
const synchronous = process.env['BENCH_SYNCHRONOUS'] === 'full' ? 'full' : 'normal';
const AT = new Date('2026-03-01T08:00:00.000Z');

function contact(odooId: number, version: number): Contact {
  return {
    odooId,
    name: `Contact ${odooId} Müller${version > 1 ? ` v${version}` : ''}`,
    email: `contact${odooId}@example.com`,
    phone: odooId % 3 === 0 ? null : `+41 44 ${String(odooId).padStart(7, '0')}`,
    function: odooId % 5 === 0 ? 'Buyer' : 'Engineer',
    city: odooId % 2 === 0 ? 'Zürich' : 'Genève',
    parentId: { id: 1_000_000 + (odooId % 5000), name: `Company ${odooId % 5000} AG` },
    commercialPartnerId: { id: 1_000_000 + (odooId % 5000), name: `Company ${odooId % 5000} AG` },
  };
}

function sourcePage(first: number, version: (odooId: number) => number): SourceRecord<Contact>[] {
  const page: SourceRecord<Contact>[] = [];
  for (let odooId = first; odooId < first + PAGE && odooId <= TOTAL; odooId++) {
    const data = contact(odooId, version(odooId));
    page.push({ odooId, data, hash: stableHash(data), active: true, writeDate: AT.toISOString() });
  }
  return page;
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const rate = (count: number, ms: number): string => Math.round((count / ms) * 1000).toLocaleString('en-US');

/** Runs one reconcile-shaped phase over every page; returns how many records it wrote. */
async function phase(
  store: SqliteStore,
  label: string,
  version: (odooId: number) => number,
): Promise<{ written: number; unchanged: number }> {
  let storeMs = 0;
  let written = 0;
  let unchanged = 0;
  for (let first = 1; first <= TOTAL; first += PAGE) {
    const source = sourcePage(first, version);
    const started = performance.now();
    const states = await store.getStates('contact', source.map((record) => record.odooId));
    const plan = planReconcile(source, states);
    const writes: RecordWrite[] = [...plan.inserts, ...plan.updates, ...plan.reactivations, ...plan.archives];
    if (writes.length > 0) await store.upsertRecords('contact', writes, AT);
    storeMs += performance.now() - started;
    written += writes.length;
    unchanged += plan.unchanged.length;
  }
  console.log(
    `${label.padEnd(34)} ${rate(TOTAL, storeMs).padStart(10)} records/s  (${Math.round(storeMs)} ms, ${written} written, ${unchanged} unchanged)  peak RSS ${peakRssMb()} MB`,
  );
  return { written, unchanged };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-bench-'));
  const path = join(dir, 'bench.db');
  const store = new SqliteStore({ path, synchronous });
  try {
    console.log(
      `sqlite-store bench: ${TOTAL.toLocaleString('en-US')} contacts in pages of ${PAGE}, synchronous=${synchronous}, ` +
        `Node ${process.version}; RSS before writing ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`,
    );
    const insert = await phase(store, 'insert (plan + upsert)', () => 1);
    if (insert.written !== TOTAL) throw new Error(`expected ${TOTAL} inserts, planned ${insert.written}`);
    const same = await phase(store, 're-plan unchanged (getStates+plan)', () => 1);
    if (same.written !== 0) throw new Error(`expected no writes, planned ${same.written}`);
    const changed = await phase(store, 're-plan 1% changed (plan + upsert)', (id) => (id % 100 === 0 ? 2 : 1));
    if (changed.written !== Math.floor(TOTAL / 100)) throw new Error(`expected ${TOTAL / 100} updates, planned ${changed.written}`);

    let started = performance.now();
    const live = await store.listLiveIds('contact');
    const deletions = planDeletions(
      live.filter((id) => id % 1000 !== 0),
      live,
    );
    await store.markDeleted('contact', deletions.softDeletes, AT);
    const sweepMs = performance.now() - started;
    console.log(
      `${'deletion sweep (listLiveIds+mark)'.padEnd(34)} ${rate(live.length, sweepMs).padStart(10)} records/s  (${Math.round(sweepMs)} ms, ${deletions.softDeletes.length} deleted)  peak RSS ${peakRssMb()} MB`,
    );

    const queries = 2000;
    started = performance.now();
    let found = 0;
    for (let i = 0; i < queries; i++) {
      found += (await store.queryRecords('contact', { where: { 'parentId.id': 1_000_000 + (i % 5000) }, limit: 50 })).items.length;
    }
    const queryMs = performance.now() - started;
    console.log(
      `${'queryRecords where parentId.id'.padEnd(34)} ${rate(queries, queryMs).padStart(10)} queries/s  (${found} records returned)`,
    );

    started = performance.now();
    const counts = await store.countRecords('contact');
    console.log(`${'countRecords'.padEnd(34)} ${(performance.now() - started).toFixed(1).padStart(10)} ms  ${JSON.stringify(counts)}`);

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
