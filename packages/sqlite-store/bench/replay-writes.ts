/**
 * The SQLite store's cost per synced record, alone: `pnpm bench:replay` here.
 *
 * Builds the writes of a full sync once (BENCH_RECORDS records, default 38 702 as in the
 * simulated full sync: contacts with a parent company and a salesperson, leads with a partner
 * and a salesperson, in pages of 1000), then replays them into a fresh database BENCH_RUNS times
 * (default 7) the way the Reconciler sends them (`getStates`, then `upsertRecords` per page)
 * and prints the median CPU time (user + system, `process.cpuUsage`, every thread of the process,
 * the store's write thread included) and wall-clock time per record. Building the writes
 * (mapping, hashing) is not counted; only the store's calls are.
 *
 * BENCH_NO_JSON_INDEXES=1 drops the store's per-path indexes first, for a lower bound.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EntityName } from '@odoo-sync/core';
import type { RecordWrite } from '@odoo-sync/core/store-kit';
import { stableHash } from '@odoo-sync/core/store-kit';
import { SqliteStore } from '../src/index.js';

const TOTAL = Number(process.env['BENCH_RECORDS'] ?? 38_702);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const PAGE = 1000;
const DROP_INDEXES = process.env['BENCH_NO_JSON_INDEXES'] === '1';
const AT = new Date('2026-03-01T08:00:00.000Z');

interface Page {
  entity: EntityName;
  ids: number[];
  writes: RecordWrite[];
}

function contact(odooId: number): Record<string, unknown> {
  const company = 1_000_000 + (odooId % 5000);
  return {
    odooId,
    name: `Contact ${odooId} Müller`,
    email: `contact${odooId}@example.com`,
    phone: odooId % 3 === 0 ? null : `+41 44 ${String(odooId).padStart(7, '0')}`,
    mobile: null,
    function: odooId % 5 === 0 ? 'Buyer' : 'Engineer',
    street: `Bahnhofstrasse ${odooId % 200}`,
    zip: String(8000 + (odooId % 900)),
    city: odooId % 2 === 0 ? 'Zürich' : 'Genève',
    countryId: { id: 43, name: 'Switzerland' },
    isCompany: false,
    parentId: { id: company, name: `Company ${odooId % 5000} AG` },
    commercialPartnerId: { id: company, name: `Company ${odooId % 5000} AG` },
    userId: odooId % 4 === 0 ? null : { id: 2 + (odooId % 20), name: `Salesperson ${odooId % 20}` },
    categoryIds: [1 + (odooId % 7)],
  };
}

function lead(odooId: number): Record<string, unknown> {
  return {
    odooId,
    name: `Opportunity ${odooId}`,
    type: 'opportunity',
    partnerId: { id: 1 + (odooId % 20_000), name: `Contact ${1 + (odooId % 20_000)} Müller` },
    userId: { id: 2 + (odooId % 20), name: `Salesperson ${odooId % 20}` },
    stageId: { id: 1 + (odooId % 5), name: `Stage ${odooId % 5}` },
    expectedRevenue: (odooId % 97) * 1000,
    probability: (odooId % 10) * 10,
    emailFrom: `lead${odooId}@example.com`,
    description: odooId % 3 === 0 ? null : `Follow up on the offer of week ${odooId % 52}.`,
    dateDeadline: null,
  };
}

function recordedSync(): Page[] {
  const pages: Page[] = [];
  const contacts = Math.min(TOTAL, 20_000);
  const build = (entity: EntityName, count: number, make: (id: number) => Record<string, unknown>) => {
    for (let first = 1; first <= count; first += PAGE) {
      const writes: RecordWrite[] = [];
      for (let id = first; id < first + PAGE && id <= count; id++) {
        const data = make(id);
        // Write dates do not follow ids in Odoo: spread them over about a year.
        const writeDate = new Date(AT.getTime() - ((id * 7919) % 31_536_000) * 1000).toISOString();
        const record = { ...data, writeDate };
        writes.push({ odooId: id, data: record as unknown as RecordWrite['data'], hash: stableHash(record), isActive: true, inactiveReason: null, odooWriteDate: writeDate });
      }
      pages.push({ entity, ids: writes.map((write) => write.odooId), writes });
    }
  };
  build('contact', contacts, contact);
  build('lead', TOTAL - contacts, lead);
  return pages;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Cost {
  /** CPU microseconds (user + system). */
  cpu: number;
  /** Wall-clock microseconds. */
  wall: number;
}

async function replay(pages: Page[]): Promise<Cost> {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-replay-'));
  const path = join(dir, 'replay.db');
  try {
    if (DROP_INDEXES) {
      await new SqliteStore({ path }).close();
      const db = new Database(path);
      const names = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'records' AND name IN ('records_user_id', 'records_partner_id', 'records_parent_id')`).pluck().all() as string[];
      for (const name of names) db.exec(`DROP INDEX "${name}"`);
      db.close();
    }
    const store = new SqliteStore({ path });
    try {
      const before = process.cpuUsage();
      const start = performance.now();
      for (const page of pages) {
        await store.getStates(page.entity, page.ids);
        await store.upsertRecords(page.entity, page.writes, AT);
      }
      const wall = (performance.now() - start) * 1000;
      const used = process.cpuUsage(before);
      return { cpu: used.user + used.system, wall };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const pages = recordedSync();
  const records = pages.reduce((sum, page) => sum + page.writes.length, 0);
  await replay(pages); // warm-up: JIT and page cache
  const runs: Cost[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await replay(pages));
  const cpu = runs.map((cost) => cost.cpu / records);
  const wall = runs.map((cost) => cost.wall / records);
  console.log(
    `sqlite-store replay: ${records.toLocaleString('en-US')} writes in pages of ${PAGE}${DROP_INDEXES ? ', per-path indexes dropped' : ''}, ` +
      `Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}; per record, median of ${RUNS}: ` +
      `CPU ${median(cpu).toFixed(1)} µs (runs ${cpu.map((value) => value.toFixed(1)).join(' ')}), ` +
      `wall ${median(wall).toFixed(1)} µs (runs ${wall.map((value) => value.toFixed(1)).join(' ')})`,
  );
}

await main();
