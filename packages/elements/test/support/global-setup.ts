/**
 * Global setup of the `elements` project: builds the browser bundle from the current sources
 * once per run (not once per test file) and hands its path to the tests (`inject('elementsBundle')`).
 * @module
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildBrowserBundle } from './bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser bundle built for this run, `odoo-sync-elements.js`. */
    elementsBundle: string;
  }
}

/** Builds the bundle; the returned teardown removes it. */
export default function setup(project: TestProject): () => void {
  const { file, dir } = buildBrowserBundle();
  project.provide('elementsBundle', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
