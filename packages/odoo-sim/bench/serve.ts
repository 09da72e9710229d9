/**
 * How fast the simulator serves a large database: generates N partners, then reads them all
 * with keyset pages over JSON-2 and over XML-RPC (raw fetch + the package's small decoder), and
 * runs an incremental read. Prints figures; asserts nothing.
 *
 *   pnpm --filter @odoo-sync/odoo-sim bench [-- --partners 100000 --page 1000]
 */
import { parseArgs } from 'node:util';
import { generateDataset, startOdooSim } from '../src/index.js';
import { parseXmlRpcResponse, xmlRpcRequest } from '../src/xmlrpc.js';

const { values } = parseArgs({ options: { partners: { type: 'string', default: '100000' }, page: { type: 'string', default: '1000' } } });
const partners = Number(values.partners);
const page = Number(values.page);
let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sample, 50);
const fields = ['name', 'email', 'phone', 'parent_id', 'commercial_partner_id', 'is_company', 'write_date', 'active'];

let start = performance.now();
const dataset = generateDataset({ seed: 1, counts: { partners } });
const generateMs = performance.now() - start;
start = performance.now();
const sim = await startOdooSim({ dataset, version: '19.0' });
const startMs = performance.now() - start;
const total = sim.count('res.partner', [], { activeTest: false });

async function json2(method: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.url}/json/2/res.partner/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `bearer ${sim.credentials.apiKey}` },
    body: JSON.stringify(body),
  });
  return res.json();
}

async function xmlrpc(args: unknown[], kwargs: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${sim.url}/xmlrpc/2/object`, {
    method: 'POST',
    body: xmlRpcRequest('execute_kw', [sim.db, sim.credentials.uid, sim.credentials.apiKey, 'res.partner', 'search_read', args, kwargs]),
  });
  const answer = parseXmlRpcResponse(await res.text());
  if (answer.fault) throw new Error(String(answer.faultString));
  return answer.value;
}

async function keyset(read: (last: number) => Promise<{ id: number }[]>): Promise<{ rows: number; ms: number }> {
  const begin = performance.now();
  let last = 0;
  let rows = 0;
  for (;;) {
    const batch = await read(last);
    if (batch.length === 0) break;
    rows += batch.length;
    last = batch[batch.length - 1]!.id;
  }
  return { rows, ms: performance.now() - begin };
}

const viaJson2 = await keyset(
  (last) => json2('search_read', { domain: [['id', '>', last]], fields, order: 'id', limit: page, context: { active_test: false } }) as Promise<{ id: number }[]>,
);
const viaXmlRpc = await keyset(
  (last) => xmlrpc([[['id', '>', last]]], { fields, order: 'id', limit: page, context: { active_test: false } }) as Promise<{ id: number }[]>,
);
start = performance.now();
const allIds = (await json2('search', { domain: [], order: 'id', context: { active_test: false } })) as number[];
const idsMs = performance.now() - start;
start = performance.now();
await json2('search_read', { domain: [['write_date', '>=', '2025-12-01 00:00:00']], fields, order: 'write_date asc, id asc', limit: page, context: { active_test: false } });
const incrementalFirstMs = performance.now() - start;
start = performance.now();
await json2('search_read', { domain: [['write_date', '>=', '2025-12-15 00:00:00']], fields, order: 'write_date asc, id asc', limit: page, context: { active_test: false } });
const incrementalMs = performance.now() - start;
sample();
clearInterval(sampler);
await sim.close();

const rate = (r: { rows: number; ms: number }) => `${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en')} records/s (${Math.round(r.ms)} ms)`;
console.log(`odoo-sim bench — ${total.toLocaleString('en')} res.partner rows, pages of ${page}, fields: ${fields.join(', ')}`);
console.log(`  generate dataset            ${Math.round(generateMs)} ms`);
console.log(`  start server                ${Math.round(startMs)} ms`);
console.log(`  JSON-2 keyset read          ${rate(viaJson2)}`);
console.log(`  XML-RPC keyset read         ${rate(viaXmlRpc)} (client decoding included)`);
console.log(`  all ids in one search       ${allIds.length.toLocaleString('en')} ids in ${Math.round(idsMs)} ms`);
console.log(`  incremental page (1st/2nd)  ${Math.round(incrementalFirstMs)} ms / ${Math.round(incrementalMs)} ms (write_date index built on first use)`);
console.log(`  peak RSS                    ${Math.round(peakRss / 1024 / 1024)} MiB`);
