export * from './harness.js';
export * from './contract.js';
export { ManualClock } from '../clock.js';
export * from './bench.js';
