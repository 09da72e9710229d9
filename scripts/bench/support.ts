/**
 * What the benchmark scripts share: odoo-sim in a child process (its CPU and memory are not
 * counted), medians, and the peak memory of a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** How to reach a running odoo-sim. */
export interface SimInfo {
  url: string;
  db: string;
  username: string;
  apiKey: string;
  password: string;
}

/** Starts odoo-sim (Odoo 19 mode: both transports) in a child process. */
export async function startSimChild(options: { seed?: number; counts: Record<string, number>; latencyMs?: number }): Promise<{ sim: SimInfo; seconds: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL('../../packages/odoo-adapter/bench/sim-server.ts', import.meta.url)), JSON.stringify({ seed: options.seed ?? 7, counts: options.counts, latencyMs: options.latencyMs ?? 0 })],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const started = performance.now();
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return {
    sim: JSON.parse(line) as SimInfo,
    seconds: (performance.now() - started) / 1000,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

/**
 * The whole-number options of a benchmark script (`--partners 20000 --runs 3`), each with its
 * default. `pnpm bench:x -- --runs 1` passes the `--` through; it is skipped. Throws a
 * `TypeError` naming an option that is not a positive whole number.
 */
export function countArgs<K extends string>(defaults: Record<K, number>, argv: readonly string[] = process.argv.slice(2)): Record<K, number> {
  const names = Object.keys(defaults) as K[];
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
  });
  const out = { ...defaults };
  for (const name of names) {
    const text = values[name];
    if (typeof text !== 'string') continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`--${name} must be a positive whole number, received ${JSON.stringify(text)}`);
    out[name] = value;
  }
  return out;
}

/** The partner fields the read benchmarks ask for (`pnpm bench:peers`, `pnpm bench:parse`). */
export const PARTNER_FIELDS = ['name', 'email', 'phone', 'is_company', 'parent_id', 'commercial_partner_id', 'write_date', 'active'];

/** Median, min and max of some numbers. */
export function stats(values: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Megabytes, rounded. */
export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Seconds with two decimals and the min–max of the runs. */
export function seconds(s: { median: number; min: number; max: number }): string {
  return `${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
}

/** A `/proc/<pid>/status` field in bytes (Linux), or `null`. */
export function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The preload that makes a child print its peak RSS (`bench-maxrss=<kB>`) on stderr at exit. */
export const MAXRSS_PRELOAD = fileURLToPath(new URL('./maxrss.mjs', import.meta.url));

/** Waits for a child to exit and returns its exit code and the peak RSS its preload printed. */
export async function exitWithMaxRss(child: ChildProcess, stderr: string[]): Promise<{ code: number | null; maxRss: number | null }> {
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = stderr.join('').match(/bench-maxrss=(\d+)/);
  return { code, maxRss: line ? Number(line[1]) * 1024 : null };
}

/** The benchmark dataset at scale 1 (`pnpm bench`, `pnpm bench:overhead`). */
export function benchCounts(scale: number, partners = 100_000): Record<string, number> {
  return {
    partners: Math.round(partners * scale),
    opportunities: Math.round(50_000 * scale),
    invoices: Math.round(50_000 * scale),
    employees: Math.round(2_000 * scale),
    users: Math.round(2_000 * scale),
  };
}

/** What "1 % changed" means for each model: which field gets a new value (every 100th id). */
export const CHANGES: { model: string; field: string; value: (id: number, round: string) => string }[] = [
  { model: 'res.partner', field: 'phone', value: (id, round) => `+1 555 ${String(id).padStart(7, '0')} ${round}` },
  { model: 'crm.lead', field: 'name', value: (id, round) => `Renewal ${id} (${round})` },
  { model: 'account.move', field: 'name', value: (id, round) => `INV/${round}/${id}` },
  { model: 'hr.employee', field: 'work_email', value: (id, round) => `employee.${id}.${round}@bench.example.com` },
  { model: 'res.users', field: 'name', value: (id, round) => `Renamed User ${id} ${round}` },
];
