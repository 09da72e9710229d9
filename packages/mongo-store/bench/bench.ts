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
import { runStoreBenchmark } from '@odoo-sync/core/testing';
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
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

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
      `mongo-store bench: ${TOTAL.toLocaleString('en-US')} contacts in pages of 1000 on ${target.kind} ${version}, ` +
        `Node ${process.version}; RSS before writing ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`,
    );
    commands.length = 0;
    await runStoreBenchmark(store, { records: TOTAL, queries: QUERIES, annotate: () => commandSummary() });
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
