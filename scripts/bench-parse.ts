/**
 * `pnpm bench:parse`: the client's CPU cost of one page, without the network. Records one
 * `search_read` answer of 1000 partners (8 fields) from odoo-sim in each protocol, then decodes
 * it many times and prints µs per row of this process's CPU time (user + system, so a loaded
 * machine inflates it less than wall time would), median of 7 samples:
 *
 * - JSON.parse alone (the floor), JSON.parse + normalising (what JSON-2 reads cost);
 * - the XML-RPC reader alone, and reader + normalising (what XML-RPC reads cost).
 *
 *   pnpm bench:parse                   # 7 samples of 40 decodes each
 *   pnpm bench:parse -- --repeat 100
 */
import { OdooClient, type OdooFields, type OdooProtocol } from '@odoo-sync/odoo-adapter';
import { startOdooSim } from '@odoo-sync/odoo-sim';
import { normalizeRowsInPlace } from '../packages/odoo-adapter/src/values.js';
import { parseMethodResponseFast } from '../packages/odoo-adapter/src/xmlrpc-fast.js';
import { countArgs, PARTNER_FIELDS, stats } from './bench/support.js';

const { repeat, samples } = countArgs({ repeat: 40, samples: 7 });
const PAGE = 1000;
const FIELDS = PARTNER_FIELDS;

/** One answer body of `search_read` in the given protocol, as the client received it. */
async function record(url: string, sim: Awaited<ReturnType<typeof startOdooSim>>, protocol: OdooProtocol): Promise<{ body: string; fields: OdooFields }> {
  let body = '';
  const client = new OdooClient({
    url,
    db: sim.db,
    username: sim.credentials.username,
    apiKey: sim.credentials.apiKey,
    protocol,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.clone().text();
      if (text.length > body.length) body = text;
      return response;
    },
  });
  try {
    const fields = await client.modelFields('res.partner');
    body = '';
    await client.searchRead('res.partner', [], { fields: FIELDS, limit: PAGE, order: 'id', context: { active_test: false } });
    return { body, fields };
  } finally {
    await client.close();
  }
}

/**
 * µs of CPU per row of each decode: median of `samples` samples of `repeat` calls. The decodes
 * take turns within each sample, so a burst of load elsewhere touches them all alike.
 */
function measure(decodes: ReadonlyArray<() => number>): Array<{ median: number; min: number; max: number }> {
  for (const decode of decodes) for (let i = 0; i < 5; i++) decode(); // warm up
  const perRow: number[][] = decodes.map(() => []);
  for (let s = 0; s < samples; s++) {
    decodes.forEach((decode, d) => {
      let rows = 0;
      const before = process.cpuUsage();
      for (let i = 0; i < repeat; i++) rows += decode();
      const used = process.cpuUsage(before);
      perRow[d]!.push((used.user + used.system) / rows);
    });
  }
  return perRow.map((values) => stats(values));
}

const sim = await startOdooSim({ host: '127.0.0.1', port: 0, version: '19.0', seed: 1, counts: { partners: PAGE, opportunities: 0, invoices: 0, employees: 0, users: 1 } });
let json: { body: string; fields: OdooFields };
let xml: { body: string; fields: OdooFields };
try {
  json = await record(sim.url, sim, 'json2');
  xml = await record(sim.url, sim, 'xmlrpc');
} finally {
  await sim.close();
}

const rowsOf = (value: unknown) => value as Array<Record<string, unknown> & { id: number }>;
const CASES: Array<[string, () => number]> = [
  ['JSON.parse (floor)', () => rowsOf(JSON.parse(json.body)).length],
  ['JSON.parse + normalise', () => normalizeRowsInPlace(rowsOf(JSON.parse(json.body)), json.fields).length],
  ['XML-RPC reader', () => {
    const outcome = parseMethodResponseFast(xml.body);
    if (!outcome?.ok) throw new Error('the fast reader fell back');
    return rowsOf(outcome.value).length;
  }],
  ['XML-RPC reader + normalise', () => {
    const outcome = parseMethodResponseFast(xml.body);
    if (!outcome?.ok) throw new Error('the fast reader fell back');
    return normalizeRowsInPlace(rowsOf(outcome.value), xml.fields).length;
  }],
];

console.log(`one page of ${PAGE} partners, ${FIELDS.length} fields: JSON ${json.body.length} chars, XML ${xml.body.length} chars`);
console.log(`CPU time of this process per row, median (min–max) of ${samples} samples of ${repeat} decodes\n`);
console.log('| decode | µs/row (CPU) |');
console.log('|---|---:|');
const results = new Map<string, number>();
const measured = measure(CASES.map(([, decode]) => decode));
for (const [index, [label]] of CASES.entries()) {
  const s = measured[index]!;
  results.set(label, s.median);
  console.log(`| ${label} | ${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)}) |`);
}
console.log(`\nNode ${process.version}, ${process.platform}/${process.arch}`);
const floor = results.get('JSON.parse (floor)')!;
console.log(`parse json=${results.get('JSON.parse + normalise')!.toFixed(2)}us/row (floor ${floor.toFixed(2)}) xml=${results.get('XML-RPC reader + normalise')!.toFixed(2)}us/row`);
