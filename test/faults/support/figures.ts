/**
 * Figures of the fault suite (scenarios, repetitions, requests, records compared): each scenario
 * records its own; the suite's global setup prints them all at the end of the run.
 * @module
 */
import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';

/** What one scenario did. */
export interface ScenarioFigures {
  /** Scenario name, e.g. `SIGKILL during full and incremental runs`. */
  scenario: string;
  /** How many times the fault was injected (kill points, storms, faulted runs…). */
  repetitions: number;
  /** Records compared with Odoo at the end (and at checkpoints). */
  recordsCompared: number;
  /** HTTP requests made, where that is the measure. */
  requests?: number;
  /** Mismatches found by the comparisons (missing + extra + different); 0 when it held. */
  mismatches?: number;
  /** Anything else worth a line. */
  note?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    faultFiguresFile: string;
  }
}

/** Records a scenario's figures for the end-of-run summary. */
export function recordFigures(figures: ScenarioFigures): void {
  appendFileSync(inject('faultFiguresFile'), `${JSON.stringify(figures)}\n`);
}
