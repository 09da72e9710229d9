/**
 * `pnpm bench:map`: the syncing process's CPU cost of turning fetched rows into records, without
 * the network or the store. Records one JSON-2 `search_read` answer (up to 1000 rows) of every
 * built-in entity from odoo-sim, then times, in µs of this process's CPU (user + system) per
 * row, median of 7 samples:
 *
 * - normalise: the adapter's normalising of freshly parsed rows (parse + normalise, minus the
 *   parse alone);
 * - toSourceRecord: mapping, validating and hashing one normalised row (core);
 * - cursor: moving the sync cursor over a page of records (core).
 *
 * The last line weighs the entities as the `pnpm bench` dataset does (193 377 records):
 *
 *   map normalise=<x.xx> record=<x.xx> cursor=<x.xx> total=<x.xx>us/row
 *
 *   pnpm bench:map                   # 7 samples of 20 passes each
 *   pnpm bench:map -- --repeat 50
 */
import { parseArgs } from 'node:util';
import { ENTITY_NAMES, ENTITY_SPECS as BUILT_IN, type EntitySpec, type OdooRow } from '@odoo-sync/core';
import type { BuiltInEntityName } from '../packages/core/src/entities/built-in-entities.js';
import { OdooClient, type OdooFields } from '@odoo-sync/odoo-adapter';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { sourceQueryOf } from '../packages/core/src/entities/entities.js';
import { latestWriteDate, toSourceRecord } from '../packages/core/src/sync/plan.js';
import { normalizeRowsInPlace } from '../packages/odoo-adapter/src/values.js';
import { stats } from './bench/support.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { repeat: { type: 'string', default: '20' }, samples: { type: 'string', default: '7' } },
});
const repeat = Number(values.repeat);
const samples = Number(values.samples);
const PAGE = 1000;
const ENTITY_SPECS = BUILT_IN as unknown as Record<BuiltInEntityName, EntitySpec>;
/** Records of each entity in the `pnpm bench` dataset (scale 1): the weights of the total. */
const WEIGHTS: Readonly<Record<BuiltInEntityName, number>> = {
  odoo_user: 1795,
  employee: 2000,
  account: 12_502,
  contact: 89_503,
  opportunity: 42_545,
  invoice: 45_032,
};

interface Page {
  entity: BuiltInEntityName;
  body: string;
  fields: OdooFields;
  rows: OdooRow[];
}

const sim = await startOdooSim({
  host: '127.0.0.1',
  port: 0,
  version: '19.0',
  seed: 1,
  counts: { partners: 3 * PAGE, opportunities: 2 * PAGE, invoices: 2 * PAGE, employees: PAGE, users: PAGE },
});
const pages: Page[] = [];
try {
  let body = '';
  const client = new OdooClient({
    url: sim.url,
    db: sim.db,
    username: sim.credentials.username,
    apiKey: sim.credentials.apiKey,
    protocol: 'json2',
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      body = await response.clone().text();
      return response;
    },
  });
  try {
    for (const entity of ENTITY_NAMES) {
      const query = sourceQueryOf(ENTITY_SPECS[entity]);
      const fields = await client.modelFields(query.model);
      const rows = await client.searchRead(query.model, query.domain, { fields: query.fields, limit: PAGE, order: 'id', context: { active_test: false }, normalize: true });
      pages.push({ entity, body, fields, rows });
    }
  } finally {
    await client.close();
  }
} finally {
  await sim.close();
}

type Step = (page: Page) => number;
const STEPS: Array<[string, Step]> = [
  ['parse', (page) => (JSON.parse(page.body) as OdooRow[]).length],
  ['parse + normalise', (page) => normalizeRowsInPlace(JSON.parse(page.body) as OdooRow[], page.fields).length],
  ['toSourceRecord', (page) => {
    const spec = ENTITY_SPECS[page.entity];
    return page.rows.map((row) => toSourceRecord(spec, row)).length;
  }],
  ['cursor', (page) => {
    const records = recordsOf.get(page)!;
    for (let i = 0; i < 10; i++) latestWriteDate(null, records);
    return records.length * 10;
  }],
];
const recordsOf = new Map(pages.map((page) => [page, page.rows.map((row) => toSourceRecord(ENTITY_SPECS[page.entity], row))]));
for (const page of pages) {
  const invalid = recordsOf.get(page)!.filter((record) => 'invalid' in record);
  if (invalid.length > 0) throw new Error(`${page.entity}: ${invalid.length} rows are invalid`);
}

/** µs of CPU per row of each step on each page: median of `samples` samples of `repeat` passes. */
function measure(page: Page): number[] {
  for (const [, step] of STEPS) for (let i = 0; i < 5; i++) step(page); // warm up
  const perRow: number[][] = STEPS.map(() => []);
  for (let s = 0; s < samples; s++) {
    STEPS.forEach(([, step], index) => {
      let rows = 0;
      const before = process.cpuUsage();
      for (let i = 0; i < repeat; i++) rows += step(page);
      const used = process.cpuUsage(before);
      perRow[index]!.push((used.user + used.system) / rows);
    });
  }
  return perRow.map((values) => stats(values).median);
}

console.log(`one JSON-2 page (≤ ${PAGE} rows) of each built-in entity; CPU µs per row, median of ${samples} samples of ${repeat} passes\n`);
console.log('| entity | rows | normalise | toSourceRecord | cursor | total |');
console.log('|---|---:|---:|---:|---:|---:|');
const weighted = { normalise: 0, record: 0, cursor: 0 };
let weights = 0;
for (const page of pages) {
  const [parse, parseNormalise, record, cursor] = measure(page) as [number, number, number, number];
  const normalise = Math.max(0, parseNormalise - parse);
  const weight = WEIGHTS[page.entity] ?? 0;
  weighted.normalise += normalise * weight;
  weighted.record += record * weight;
  weighted.cursor += cursor * weight;
  weights += weight;
  console.log(`| ${page.entity} | ${page.rows.length} | ${normalise.toFixed(2)} | ${record.toFixed(2)} | ${cursor.toFixed(2)} | ${(normalise + record + cursor).toFixed(2)} |`);
}
const normalise = weighted.normalise / weights;
const record = weighted.record / weights;
const cursor = weighted.cursor / weights;
console.log(`\nNode ${process.version}, ${process.platform}/${process.arch}; weighted as the pnpm bench dataset`);
console.log(`map normalise=${normalise.toFixed(2)} record=${record.toFixed(2)} cursor=${cursor.toFixed(2)} total=${(normalise + record + cursor).toFixed(2)}us/row`);
