/**
 * A store benchmark any store adapter can run against itself, shaped like a sync: pages of
 * contacts go through `getStates` → {@link planReconcile} → `upsertRecords`, as the Reconciler
 * sends them. Used by `pnpm bench:store` for the SQLite and MongoDB stores.
 * @module
 */
import type { Contact } from '../entities/entities.js';
import { stableHash } from '../sync/hash.js';
import type { RecordWrite, SourceRecord } from '../model.js';
import { planDeletions, planReconcile } from '../sync/plan.js';
import type { RecordStore } from '../ports.js';

/** Options of {@link runStoreBenchmark}. */
export interface StoreBenchmarkOptions {
  /**
   * Contacts written.
   * @default 100000
   */
  records?: number;
  /**
   * Records per page (per `getStates` and per `upsertRecords`).
   * @default 1000
   */
  pageSize?: number;
  /**
   * Filtered `queryRecords` calls timed at the end.
   * @default 2000
   */
  queries?: number;
  /**
   * Where each result line goes.
   * @default console.log
   */
  log?: (line: string) => void;
  /** Extra text for a phase's line (for example the database commands it sent), called when the phase ends. */
  annotate?: (phase: StoreBenchmarkPhase['name']) => string;
}

/** What one phase measured. */
export interface StoreBenchmarkPhase {
  /** Phase. */
  name: 'insert' | 'unchanged' | 'changed' | 'sweep' | 'queries';
  /** Records (or queries, for `queries`) per second of store and planning time. */
  perSecond: number;
  /** Milliseconds spent in the store and in planning (making source records is not counted). */
  ms: number;
  /** Records written (insert, changed), soft-deleted (sweep) or returned (queries). */
  affected: number;
  /** Peak resident memory of the process so far, in MB. */
  peakRssMb: number;
}

const AT = new Date('2026-03-01T08:00:00.000Z');

function contact(odooId: number, version: number): Contact {
  const company = 1_000_000 + (odooId % 5000);
  return {
    odooId,
    name: `Contact ${odooId} Müller${version > 1 ? ` v${version}` : ''}`,
    email: `contact${odooId}@example.com`,
    phone: odooId % 3 === 0 ? null : `+41 44 ${String(odooId).padStart(7, '0')}`,
    function: odooId % 5 === 0 ? 'Buyer' : 'Engineer',
    city: odooId % 2 === 0 ? 'Zürich' : 'Genève',
    parentId: { id: company, name: `Company ${odooId % 5000} AG` },
    commercialPartnerId: { id: company, name: `Company ${odooId % 5000} AG` },
  };
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * Benchmarks a store with the access pattern of a sync: inserts `records` contacts page by page,
 * re-plans them unchanged, then with 1 % changed, then sweeps 0.1 % of them away as deleted and
 * runs filtered queries. Checks the store's answers as it goes (a wrong plan throws), prints one
 * line per phase and returns the figures.
 *
 * @example
 * ```ts
 * import { runStoreBenchmark } from '@odoo-sync/core/testing';
 * const store = new MyStore(...);
 * await runStoreBenchmark(store, { records: 100_000 });
 * ```
 */
export async function runStoreBenchmark(store: RecordStore, options: StoreBenchmarkOptions = {}): Promise<StoreBenchmarkPhase[]> {
  const total = options.records ?? 100_000;
  const pageSize = options.pageSize ?? 1000;
  const queries = options.queries ?? 2000;
  const log = options.log ?? ((line: string) => console.log(line));
  if (!Number.isInteger(total) || total < 1) throw new TypeError('records must be a positive integer.');
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new TypeError('pageSize must be a positive integer.');
  const results: StoreBenchmarkPhase[] = [];
  const report = (phase: StoreBenchmarkPhase, label: string, unit: string, detail: string) => {
    results.push(phase);
    const extra = options.annotate?.(phase.name);
    log(
      `${label.padEnd(36)} ${Math.round(phase.perSecond).toLocaleString('en-US').padStart(10)} ${unit}/s  (${Math.round(phase.ms)} ms, ${detail}${extra ? `; ${extra}` : ''})  peak RSS ${phase.peakRssMb} MB`,
    );
  };

  const sync = async (name: 'insert' | 'unchanged' | 'changed', label: string, version: (odooId: number) => number) => {
    let ms = 0;
    let written = 0;
    let unchanged = 0;
    for (let first = 1; first <= total; first += pageSize) {
      const source: SourceRecord<Contact>[] = [];
      for (let odooId = first; odooId < first + pageSize && odooId <= total; odooId++) {
        const data = contact(odooId, version(odooId));
        source.push({ odooId, data, hash: stableHash(data), active: true, writeDate: AT.toISOString() });
      }
      const started = performance.now();
      const states = await store.getStates('contact', source.map((record) => record.odooId));
      const plan = planReconcile(source, states);
      const writes: RecordWrite[] = [...plan.inserts, ...plan.updates, ...plan.reactivations, ...plan.archives];
      if (writes.length > 0) await store.upsertRecords('contact', writes, AT);
      ms += performance.now() - started;
      written += writes.length;
      unchanged += plan.unchanged.length;
    }
    report({ name, perSecond: (total / ms) * 1000, ms, affected: written, peakRssMb: peakRssMb() }, label, 'records', `${written} written, ${unchanged} unchanged`);
    return written;
  };

  const inserted = await sync('insert', 'insert (plan + upsert)', () => 1);
  if (inserted !== total) throw new Error(`Expected ${total} inserts, the plan had ${inserted}: the store's getStates is wrong.`);
  const rewritten = await sync('unchanged', 're-plan unchanged (getStates + plan)', () => 1);
  if (rewritten !== 0) throw new Error(`Expected no writes, the plan had ${rewritten}: the store does not keep hashes.`);
  const changed = await sync('changed', 're-plan 1% changed (plan + upsert)', (id) => (id % 100 === 0 ? 2 : 1));
  if (changed !== Math.floor(total / 100)) throw new Error(`Expected ${Math.floor(total / 100)} updates, the plan had ${changed}.`);

  let started = performance.now();
  const live = await store.listLiveIds('contact');
  const deletions = planDeletions(
    live.filter((id) => id % 1000 !== 0),
    live,
  );
  const deleted = await store.markDeleted('contact', deletions.softDeletes, AT);
  let ms = performance.now() - started;
  report({ name: 'sweep', perSecond: (live.length / ms) * 1000, ms, affected: deleted, peakRssMb: peakRssMb() }, 'deletion sweep (listLiveIds + mark)', 'records', `${deleted} deleted`);

  started = performance.now();
  let found = 0;
  for (let i = 0; i < queries; i++) {
    found += (await store.queryRecords('contact', { where: { 'parentId.id': 1_000_000 + (i % 5000) }, limit: 50 })).items.length;
  }
  ms = performance.now() - started;
  report({ name: 'queries', perSecond: (queries / ms) * 1000, ms, affected: found, peakRssMb: peakRssMb() }, 'queryRecords where parentId.id', 'queries', `${queries} queries, ${found} records`);

  const counts = await store.countRecords('contact');
  const expected = { active: total - deleted, archived: 0, deleted };
  if (counts.active !== expected.active || counts.deleted !== expected.deleted) {
    throw new Error(`countRecords answered ${JSON.stringify(counts)}, expected ${JSON.stringify(expected)}.`);
  }
  return results;
}
