/**
 * Child process of `pnpm bench`: runs odoo-sim so that its memory and CPU are not counted in the
 * sync's figures. Arguments: a JSON object of counts, and the latency of each answer in ms. Prints one JSON line with the connection
 * details when ready; stops when stdin closes.
 */
import { startOdooSim } from '@odoo-sync/odoo-sim';

const counts = JSON.parse(process.argv[2] ?? '{}') as Record<string, number>;
const latencyMs = Number(process.argv[3] ?? 0);
const sim = await startOdooSim({ host: '127.0.0.1', port: 0, version: '19.0', seed: 7, counts });
// A remote Odoo: every answer waits this long (network round trip plus Odoo's own work).
if (latencyMs > 0) sim.faults.latency(latencyMs);
process.stdout.write(
  `${JSON.stringify({ url: sim.url, db: sim.db, username: sim.credentials.username, apiKey: sim.credentials.apiKey })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void sim.close().then(() => process.exit(0));
});
