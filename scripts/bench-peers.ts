/**
 * `pnpm bench:peers`: the same 100 000 partners (8 fields, pages of 1000 by id, archived
 * included) read with other Node clients of Odoo (odoo-await and odoo-xmlrpc, over XML-RPC),
 * with this project's client on both transports (`OdooSource.readChanged`, normalised), with
 * a raw `fetch` + `JSON.parse` of JSON-2 (the floor of a fetch client), and with the same over
 * `node:http` (the floor of a client that, like this project's, skips fetch). odoo-sim runs
 * in a child process. Prints records/s and the CPU time this process spent per 1000 rows (user +
 * system: what the client itself costs, which a loaded machine distorts less than wall time),
 * and ends with:
 *
 *   peers-cpu xmlrpc=<odoo-await's CPU ÷ this project's XML-RPC CPU>x json2norm=<fetch floor's CPU ÷ normalised JSON-2 CPU>%
 *   peers xmlrpc=<this project's XML-RPC ÷ odoo-await>x json2norm=<normalised JSON-2 ÷ raw fetch floor>%
 *
 *   pnpm bench:peers                 # 100 000 partners, best of 3 per client
 *   pnpm bench:peers -- --partners 20000 --runs 1
 */
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import type { SourceQuery } from '@odoo-sync/core';
import { OdooClient, type OdooProtocol, OdooSource } from '@odoo-sync/odoo-adapter';
import { countArgs, PARTNER_FIELDS, type SimInfo, startSimChild, stats } from './bench/support.js';

const require = createRequire(import.meta.url);
const { partners, runs } = countArgs({ partners: 100_000, runs: 3 });
const PAGE = 1000;
const FIELDS = PARTNER_FIELDS;
const CONTEXT = { active_test: false };
const query: SourceQuery = { entity: 'contact', model: 'res.partner', domain: [], fields: FIELDS };

type Reader = (sim: SimInfo) => Promise<number>;

let retried = 0;

/**
 * Keyset paging by id with any `searchRead(domain) → rows`. A page whose connection was reset
 * (the XML-RPC peers open a new connection per call, which a loaded machine sometimes drops) is
 * asked again, at most twice; the retries are counted and printed.
 */
async function pageById(searchRead: (domain: unknown[]) => Promise<Array<{ id: number }>>): Promise<number> {
  let last = 0;
  let rows = 0;
  for (;;) {
    const domain = [['id', '>', last]];
    const page = await searchRead(domain).catch(async (error: unknown) => {
      if ((error as { code?: string }).code !== 'ECONNRESET') throw error;
      retried++;
      return searchRead(domain).catch(() => {
        retried++;
        return searchRead(domain);
      });
    });
    rows += page.length;
    if (page.length < PAGE) return rows;
    last = page[page.length - 1]!.id;
  }
}

const project = (protocol: OdooProtocol): Reader => async (sim) => {
  const client = new OdooClient({ url: sim.url, db: sim.db, username: sim.username, apiKey: sim.apiKey, protocol });
  try {
    await client.modelFields('res.partner'); // connect and learn the fields outside the timed part, as the others do
    let rows = 0;
    const started = start();
    for await (const page of new OdooSource(client).readChanged(query, { since: null, pageSize: PAGE })) rows += page.length;
    return record(rows, started);
  } finally {
    await client.close();
  }
};

const odooAwait: Reader = async (sim) => {
  const OdooAwait = require('odoo-await') as new (o: object) => {
    connect(): Promise<number>;
    searchRead(model: string, domain: unknown[], fields: string[], opts: object): Promise<Array<{ id: number }>>;
  };
  const odoo = new OdooAwait({ baseUrl: sim.url, db: sim.db, username: sim.username, password: sim.password });
  await odoo.connect();
  const started = start();
  const rows = await pageById((domain) => odoo.searchRead('res.partner', domain, FIELDS, { offset: 0, limit: PAGE, order: 'id', context: CONTEXT }));
  return record(rows, started);
};

const odooXmlrpc: Reader = async (sim) => {
  const OdooXmlrpc = require('odoo-xmlrpc') as new (o: object) => {
    connect(cb: (err: unknown, uid: number) => void): void;
    execute_kw(model: string, method: string, params: unknown[], cb: (err: unknown, value: unknown) => void): void;
  };
  const odoo = new OdooXmlrpc({ url: sim.url, db: sim.db, username: sim.username, password: sim.password });
  await new Promise<void>((resolve, reject) => odoo.connect((err) => (err ? reject(err) : resolve())));
  const started = start();
  const rows = await pageById(
    (domain) =>
      new Promise((resolve, reject) =>
        odoo.execute_kw('res.partner', 'search_read', [[domain], { fields: FIELDS, limit: PAGE, order: 'id', context: CONTEXT }], (err, value) =>
          err ? reject(err) : resolve(value as Array<{ id: number }>),
        ),
      ),
  );
  return record(rows, started);
};

/** The floor: one `fetch` and one `JSON.parse` per page of JSON-2, nothing else. */
const rawJson2: Reader = async (sim) => {
  const started = start();
  const rows = await pageById(async (domain) => {
    const response = await fetch(`${sim.url}/json/2/res.partner/search_read`, {
      method: 'POST',
      headers: { Authorization: `bearer ${sim.apiKey}`, 'X-Odoo-Database': sim.db, 'Content-Type': 'application/json' },
      body: JSON.stringify({ domain, fields: FIELDS, limit: PAGE, order: 'id', context: CONTEXT }),
    });
    if (!response.ok) throw new Error(`JSON-2 answered ${response.status}`);
    return JSON.parse(await response.text()) as Array<{ id: number }>;
  });
  return record(rows, started);
};

/**
 * The same floor over `node:http` with a keep-alive agent, which is how this project's client
 * sends requests when no fetch is injected: what no client over `node:http` can beat.
 */
const rawJson2Http: Reader = async (sim) => {
  const agent = new Agent({ keepAlive: true });
  const url = `${sim.url}/json/2/res.partner/search_read`;
  const headers = { Authorization: `bearer ${sim.apiKey}`, 'X-Odoo-Database': sim.db, 'Content-Type': 'application/json' };
  try {
    const started = start();
    const rows = await pageById(
      (domain) =>
        new Promise((resolve, reject) => {
          const req = request(url, { method: 'POST', headers, agent }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              if (response.statusCode !== 200) reject(new Error(`JSON-2 answered ${response.statusCode}`));
              else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Array<{ id: number }>);
            });
          });
          req.on('error', reject);
          req.end(JSON.stringify({ domain, fields: FIELDS, limit: PAGE, order: 'id', context: CONTEXT }));
        }),
    );
    return record(rows, started);
  } finally {
    agent.destroy();
  }
};

let lastSeconds = 0;
let lastCpuSeconds = 0;
/** Where a timed read starts: wall clock and this process's CPU time. */
function start(): { wall: number; cpu: NodeJS.CpuUsage } {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}
function record(rows: number, started: { wall: number; cpu: NodeJS.CpuUsage }): number {
  lastSeconds = (performance.now() - started.wall) / 1000;
  const cpu = process.cpuUsage(started.cpu);
  lastCpuSeconds = (cpu.user + cpu.system) / 1e6;
  return rows;
}

const READERS: Array<[string, Reader]> = [
  ['odoo-xmlrpc 1.0.8 (XML-RPC)', odooXmlrpc],
  ['odoo-await 3.4.1 (XML-RPC)', odooAwait],
  ['odoo-sync OdooSource, XML-RPC, normalised', project('xmlrpc')],
  ['odoo-sync OdooSource, JSON-2, normalised', project('json2')],
  ['raw fetch + JSON.parse, JSON-2 (floor)', rawJson2],
  ['raw node:http + JSON.parse, JSON-2', rawJson2Http],
];

const main = await startSimChild({ seed: 1, counts: { partners, opportunities: 0, invoices: 0, employees: 0, users: 1 } });
console.log(`odoo-sim with ${partners} partners ready in ${main.seconds.toFixed(1)} s; ${runs} run(s) per client, median (min–max)\n`);
const perSecond = new Map<string, number>();
const cpuPerRow = new Map<string, number>();
try {
  // The clients take turns, run by run, so that a change of load on a shared machine touches
  // them all alike instead of one client's runs.
  const measured = READERS.map(() => ({ rows: 0, times: [] as number[], cpuTimes: [] as number[] }));
  for (let run = 0; run < runs; run++) {
    for (const [index, [, read]] of READERS.entries()) {
      const m = measured[index]!;
      m.rows = await read(main.sim);
      m.times.push(lastSeconds);
      m.cpuTimes.push(lastCpuSeconds);
    }
  }
  console.log('| client | rows | time | records/s | CPU ms / 1000 rows |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [index, [label]] of READERS.entries()) {
    const { rows, times, cpuTimes } = measured[index]!;
    const s = stats(times);
    const cpu = stats(cpuTimes);
    perSecond.set(label, rows / s.median);
    cpuPerRow.set(label, cpu.median / rows);
    const perThousand = (seconds: number) => ((seconds * 1e6) / rows).toFixed(1);
    console.log(
      `| ${label} | ${rows} | ${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)}) | ${Math.round(rows / s.median)} | ${perThousand(cpu.median)} (${perThousand(cpu.min)}–${perThousand(cpu.max)}) |`,
    );
  }
} finally {
  await main.stop();
}
const rate = (prefix: string) => [...perSecond].find(([label]) => label.startsWith(prefix))![1];
if (retried > 0) console.log(`\n${retried} page request(s) retried after a connection reset.`);
console.log(`\nNode ${process.version}, ${process.platform}/${process.arch}; odoo-sim in a child process (not counted).\n`);
const cpuOf = (prefix: string) => [...cpuPerRow].find(([label]) => label.startsWith(prefix))![1];
console.log(
  `normalised JSON-2 ÷ raw node:http + JSON.parse: ${Math.round((rate('odoo-sync OdooSource, JSON-2') / rate('raw node:http')) * 100)} % of its records/s, ` +
    `${Math.round((cpuOf('raw node:http') / cpuOf('odoo-sync OdooSource, JSON-2')) * 100)} % of its CPU speed\n`,
);
const xmlrpc = rate('odoo-sync OdooSource, XML-RPC') / rate('odoo-await');
const json2norm = (rate('odoo-sync OdooSource, JSON-2') / rate('raw fetch')) * 100;
const xmlrpcCpu = cpuOf('odoo-await') / cpuOf('odoo-sync OdooSource, XML-RPC');
const json2normCpu = (cpuOf('raw fetch') / cpuOf('odoo-sync OdooSource, JSON-2')) * 100;
console.log(`peers-cpu xmlrpc=${xmlrpcCpu.toFixed(1)}x json2norm=${Math.round(json2normCpu)}%`);
console.log(`peers xmlrpc=${xmlrpc.toFixed(1)}x json2norm=${Math.round(json2norm)}%`);
