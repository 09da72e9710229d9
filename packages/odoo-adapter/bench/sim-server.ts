/**
 * Child process of the benchmark: runs odoo-sim so its memory and CPU are not counted in the
 * client's figures. Prints one JSON line `{ url, db, username, apiKey, password }` when ready and
 * stops when stdin closes.
 */
import { startOdooSim } from '@odoo-sync/odoo-sim';

const partners = Number(process.argv[2] ?? 100_000);
const sim = await startOdooSim({
  host: '127.0.0.1',
  port: 0,
  version: '19.0',
  seed: 1,
  counts: { partners, opportunities: 0, invoices: 0, employees: 0, users: 1 },
});
process.stdout.write(
  `${JSON.stringify({ url: sim.url, db: sim.db, username: sim.credentials.username, apiKey: sim.credentials.apiKey, password: sim.credentials.password })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void sim.close().then(() => process.exit(0));
});
