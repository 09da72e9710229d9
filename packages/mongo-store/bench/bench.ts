/**
 * Store benchmark: `pnpm bench` here, or `pnpm bench:store` at the root.
 *
 * Against MONGODB_URI when set, otherwise against jongodb from the optional dependency.
 * Writes BENCH_RECORDS contacts in pages of 1000 the way the Reconciler does
 * (getStates → planReconcile → upsertRecords), then re-plans them unchanged, then with 1 % of
 * them changed, then runs the deletion sweep and some filtered queries. Prints records/second
 * per phase (store and planning time; making the source records is not counted), the MongoDB
 * commands each phase sent, the peak resident memory of this process and, for jongodb, of the
 * server process.
 *
 * BENCH_RECORDS defaults to 100 000 on MongoDB. On jongodb it defaults to 5 000: jongodb
 * rescans (and copies) the whole collection for every write statement, so 100 000 records with
 * 1 000 changed ones would take hours there; set BENCH_RECORDS to override.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Contact, RecordWrite, SourceRecord } from '@odoo-sync/core';
import { planDeletions, planReconcile, stableHash } from '@odoo-sync/core';
import type { CommandStartedEvent } from 'mongodb';
import { MongoStore } from '../src/index.js';
import { MongoClient, dropTestDatabase, freshDbName, serverTarget, startServer } from '../test/mongo-server.js';

const target = serverTarget();
if (target.kind === 'none') {
  console.log(`mongo-store bench skipped: ${target.reason}.`);
  process.exit(0);
}
const TOTAL = Number(process.env['BENCH_RECORDS'] ?? (target.kind === 'jongodb' ? 5_000 : 100_000));
const QUERIES = target.kind === 'jongodb' ? 200 : 2000;
const PAGE = 1000;
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

/** Peak resident memory of another process (Linux), in MB, or null. */
function serverPeakRssMb(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const commands: CommandStartedEvent[] = [];
function commandSummary(): string {
  const counts = new Map<string, number>();
  for (const event of commands.splice(0)) counts.set(event.commandName, (counts.get(event.commandName) ?? 0) + 1);
  return [...counts.entries()].map(([name, n]) => `${n} ${name}`).join(', ') || 'no commands';
}

/** Runs one reconcile-shaped phase over every page; returns how many records it wrote. */
async function phase(store: MongoStore, label: string, version: (odooId: number) => number): Promise<{ written: number; unchanged: number }> {
  let storeMs = 0;
  let written = 0;
  let unchanged = 0;
  commands.length = 0;
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
    `${label.padEnd(34)} ${rate(TOTAL, storeMs).padStart(10)} records/s  (${Math.round(storeMs)} ms, ${written} written, ${unchanged} unchanged; ${commandSummary()})  peak RSS ${peakRssMb()} MB`,
  );
  return { written, unchanged };
}

async function main(): Promise<void> {
  const server = await startServer(target);
  const client = new MongoClient(server.uri, { monitorCommands: true });
  client.on('commandStarted', (event) => commands.push(event));
  const dbName = freshDbName('bench');
  const store = new MongoStore({ client, dbName });
  try {
    await store.ensureIndexes();
    const version = (await client.db('admin').command({ buildInfo: 1 }))['version'] as string;
    console.log(
      `mongo-store bench: ${TOTAL.toLocaleString('en-US')} contacts in pages of ${PAGE} on ${target.kind} ${version}, ` +
        `Node ${process.version}; RSS before writing ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`,
    );
    const insert = await phase(store, 'insert (plan + upsert)', () => 1);
    if (insert.written !== TOTAL) throw new Error(`expected ${TOTAL} inserts, planned ${insert.written}`);
    const same = await phase(store, 're-plan unchanged (getStates+plan)', () => 1);
    if (same.written !== 0) throw new Error(`expected no writes, planned ${same.written}`);
    const changed = await phase(store, 're-plan 1% changed (plan + upsert)', (id) => (id % 100 === 0 ? 2 : 1));
    if (changed.written !== Math.floor(TOTAL / 100)) throw new Error(`expected ${TOTAL / 100} updates, planned ${changed.written}`);

    commands.length = 0;
    let started = performance.now();
    const live = await store.listLiveIds('contact');
    const deletions = planDeletions(
      live.filter((id) => id % 1000 !== 0),
      live,
    );
    await store.markDeleted('contact', deletions.softDeletes, AT);
    const sweepMs = performance.now() - started;
    console.log(
      `${'deletion sweep (listLiveIds+mark)'.padEnd(34)} ${rate(live.length, sweepMs).padStart(10)} records/s  (${Math.round(sweepMs)} ms, ${deletions.softDeletes.length} deleted; ${commandSummary()})  peak RSS ${peakRssMb()} MB`,
    );

    started = performance.now();
    let found = 0;
    for (let i = 0; i < QUERIES; i++) {
      found += (await store.queryRecords('contact', { where: { 'parentId.id': 1_000_000 + (i % 5000) }, limit: 50 })).items.length;
    }
    const queryMs = performance.now() - started;
    console.log(`${'queryRecords where parentId.id'.padEnd(34)} ${rate(QUERIES, queryMs).padStart(10)} queries/s  (${QUERIES} queries, ${found} records returned)`);

    started = performance.now();
    const counts = await store.countRecords('contact');
    console.log(`${'countRecords'.padEnd(34)} ${(performance.now() - started).toFixed(1).padStart(10)} ms  ${JSON.stringify(counts)}`);
    const serverRss = serverPeakRssMb(server.pid);
    console.log(`peak RSS ${peakRssMb()} MB (this process)${serverRss === null ? '' : `; jongodb server peak RSS ${serverRss} MB`}`);
  } finally {
    await store.close();
    await dropTestDatabase(client, dbName).catch(() => undefined);
    await client.close();
    await server.stop();
  }
}

await main();
