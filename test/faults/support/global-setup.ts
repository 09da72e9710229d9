/**
 * Global setup of the `faults` project: gives the scenarios a file to record their figures in,
 * and prints the figures when the run ends.
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { ScenarioFigures } from './figures.js';

/** Creates the figures file; the returned teardown prints and removes it. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-fault-figures-'));
  const file = join(dir, 'figures.jsonl');
  writeFileSync(file, '');
  project.provide('faultFiguresFile', file);
  return () => {
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ScenarioFigures);
    rmSync(dir, { recursive: true, force: true });
    if (rows.length === 0) return;
    const sum = (pick: (row: ScenarioFigures) => number | undefined) => rows.reduce((n, row) => n + (pick(row) ?? 0), 0);
    const lines = rows.map(
      (row) =>
        `  ${row.scenario}: ${row.repetitions} repetitions, ${row.recordsCompared} records compared` +
        (row.requests !== undefined ? `, ${row.requests} requests` : '') +
        (row.mismatches !== undefined ? `, ${row.mismatches} mismatches` : '') +
        (row.note ? ` (${row.note})` : ''),
    );
    process.stdout.write(
      `\nfault suite: ${rows.length} scenarios, ${sum((r) => r.repetitions)} repetitions, ${sum((r) => r.recordsCompared)} records compared, ` +
        `${sum((r) => r.requests)} requests, ${sum((r) => r.mismatches)} mismatches\n${lines.join('\n')}\n`,
    );
  };
}
