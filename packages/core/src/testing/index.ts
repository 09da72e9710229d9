/**
 * The store contract suite every store adapter runs, with the test harness, a manual clock
 * and the benchmark helpers.
 *
 * @module @odoo-sync/core/testing
 */
export * from './harness.js';
export * from './contract.js';
export { ManualClock } from '../clock.js';
export * from './bench.js';
