/**
 * Command-line arguments of `odoo-sim`, parsed with node:util `parseArgs` and validated.
 * @module
 */
import { parseArgs } from 'node:util';
import type { DatasetCounts } from './dataset.js';
import type { OdooSimOptions } from './server.js';
import { parseOdooVersion } from './version.js';

/** Usage text of `odoo-sim`. */
export const USAGE = `Usage: odoo-sim [options]

Serves a simulated Odoo (XML-RPC, JSON-2 from 19.0, /web/version) with generated data.

Options:
  --host <host>            interface to listen on (default 127.0.0.1)
  --port <port>            port, 0 = any free port (default 8069)
  --db <name>              database name (default odoo)
  --version <x.y>          Odoo version to simulate, e.g. 17.0 or 19.0 (default 17.0)
  --seed <n>               seed of the generated data (default 1)
  --partners <n>           customer partners (default 200)
  --companies <n>          how many of them are companies (default partners / 8)
  --opportunities <n>      crm.lead rows (default 120)
  --invoices <n>           account.move rows (default 150)
  --employees <n>          hr.employee rows (default 30)
  --users <n>              generated res.users (default 25)
  --stages <n>             crm.stage rows (default 4)
  -h, --help               show this help
`;

/** The outcome of parsing: options to start with, or help, or a one-line error. */
export type CliParse = { kind: 'run'; options: OdooSimOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const COUNT_FLAGS = ['partners', 'companies', 'opportunities', 'invoices', 'employees', 'users', 'stages'] as const;

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new RangeError(`--${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new RangeError(`--${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Parses `odoo-sim` arguments (without `node` and the script path). */
export function parseCliArgs(argv: readonly string[]): CliParse {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        db: { type: 'string' },
        version: { type: 'string' },
        seed: { type: 'string' },
        partners: { type: 'string' },
        companies: { type: 'string' },
        opportunities: { type: 'string' },
        invoices: { type: 'string' },
        employees: { type: 'string' },
        users: { type: 'string' },
        stages: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return { kind: 'help' };
    const options: OdooSimOptions = {
      host: values.host ?? '127.0.0.1',
      port: values.port === undefined ? 8069 : integer('port', values.port, 0, 65535),
    };
    if (values.db !== undefined) {
      if (values.db.trim() === '') throw new RangeError('--db must not be empty');
      options.db = values.db;
    }
    if (values.version !== undefined) {
      parseOdooVersion(values.version);
      options.version = values.version;
    }
    if (values.seed !== undefined) options.seed = integer('seed', values.seed, 0, 2 ** 32 - 1);
    const counts: Partial<DatasetCounts> = {};
    for (const flag of COUNT_FLAGS) {
      const text = values[flag];
      if (text !== undefined) counts[flag] = integer(flag, text, flag === 'stages' ? 2 : 0, 10_000_000);
    }
    if (counts.companies !== undefined && counts.companies > (counts.partners ?? 200)) {
      throw new RangeError(`--companies (${counts.companies}) cannot exceed --partners (${counts.partners ?? 200})`);
    }
    if (Object.keys(counts).length > 0) options.counts = counts;
    return { kind: 'run', options };
  } catch (error) {
    // One line, whatever parseArgs said.
    return { kind: 'error', message: (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim() };
  }
}
