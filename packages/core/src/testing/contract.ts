/**
 * The store contract suites (one file per concern in `contract/`); this file re-exports them.
 * @module
 */
export * from './contract/index.js';
