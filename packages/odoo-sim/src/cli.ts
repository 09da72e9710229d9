#!/usr/bin/env node
/**
 * `odoo-sim`: starts a simulated Odoo on a port and prints how to reach it. Stops on SIGINT or
 * SIGTERM.
 * @module
 */
import { parseCliArgs, USAGE } from './cli-args.js';
import { startOdooSim } from './server.js';

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`odoo-sim: ${parsed.message} (see odoo-sim --help)\n`);
    process.exitCode = 2;
    return;
  }
  const sim = await startOdooSim(parsed.options);
  const users = sim.count('res.users', [['share', '=', false]]);
  const partners = sim.count('res.partner', [], { activeTest: false });
  process.stdout.write(
    [
      `odoo-sim listening on ${sim.url}`,
      `  version   ${sim.version}${Number.parseInt(sim.version.replace('saas~', ''), 10) >= 19 ? ' (XML-RPC and JSON-2)' : ' (XML-RPC; JSON-2 needs --version 19.0)'}`,
      `  database  ${sim.db}`,
      `  login     ${sim.credentials.username}`,
      `  password  ${sim.credentials.password}`,
      `  api key   ${sim.credentials.apiKey}`,
      `  uid       ${sim.credentials.uid}`,
      `  data      ${partners} partners, ${users} internal users, ${sim.count('hr.employee', [], { activeTest: false })} employees, ${sim.count('crm.lead', [], { activeTest: false })} leads, ${sim.count('account.move', [])} journal entries`,
      '',
    ].join('\n'),
  );
  const stop = (signal: string) => {
    process.stdout.write(`odoo-sim: ${signal}, stopping\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`odoo-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
