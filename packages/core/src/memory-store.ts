/**
 * MemoryStore: every store port in memory (one file per port in `memory-store/`).
 * @module
 */
export { MemoryStore } from './memory-store/store.js';
export { assertDataPath, valueAtPath } from './memory-store/shared.js';
