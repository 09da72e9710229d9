/**
 * Ports: the interfaces adapters implement. They live in `ports/`, one file per concern;
 * this file re-exports them all.
 * @module
 */
export * from './ports/index.js';
