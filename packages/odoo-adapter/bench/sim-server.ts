/**
 * Child process of the benchmarks (`pnpm bench:odoo` here, `pnpm bench` at the root): runs
 * odoo-sim so its memory and CPU are not counted in the client's figures. Argument: a JSON object
 * `{ seed?, counts?, latencyMs? }`. Prints one JSON line `{ url, db, username, apiKey, password }`
 * when ready and stops when stdin closes.
 */
import { startOdooSim } from '@odoo-sync/odoo-sim';

const { seed = 1, counts = {}, latencyMs = 0 } = JSON.parse(process.argv[2] ?? '{}') as {
  seed?: number;
  counts?: Record<string, number>;
  latencyMs?: number;
};
const sim = await startOdooSim({ host: '127.0.0.1', port: 0, version: '19.0', seed, counts });
// A remote Odoo: every answer waits this long (network round trip plus Odoo's own work).
if (latencyMs > 0) sim.faults.latency(latencyMs);
process.stdout.write(
  `${JSON.stringify({ url: sim.url, db: sim.db, username: sim.credentials.username, apiKey: sim.credentials.apiKey, password: sim.credentials.password })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void sim.close().then(() => process.exit(0));
});
