/**
 * The browser bundle: self-contained, small, CSP-friendly, and where servers find it.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, inject, it } from 'vitest';
import { BUNDLE_FILE, browserBundlePath } from '../src/bundle.js';

/** Every page's components share this one file; the product promises at most 60 kB gzipped. */
const BUDGET_GZIP_BYTES = 60 * 1024;

// Built from the current sources by the project's global setup (test/support/global-setup.ts).
const code = readFileSync(inject('elementsBundle'), 'utf8');

it(`stays within ${BUDGET_GZIP_BYTES / 1024} kB gzipped`, () => {
  const gzipped = gzipSync(code, { level: 9 }).length;
  console.log(`odoo-sync-elements.js: ${code.length} bytes, ${gzipped} bytes gzipped (budget ${BUDGET_GZIP_BYTES})`);
  expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
});

it('inlines Lit (imports nothing), uses its production build, and needs no eval', () => {
  expect(code).not.toMatch(/\bimport\s*["'{*]|\bfrom\s*["'](?:lit|@lit|lit-html|lit-element|\.{0,2}\/)/);
  expect(code).not.toMatch(/\bimport\s*\(/);
  expect(code).not.toContain('Lit is in dev mode');
  expect(code).not.toMatch(/\beval\s*\(|new Function\s*\(/);
  expect(code).toContain('odoo-sync-health');
  expect(code).toContain('odoo-sync-timeline');
});

it('tells servers where the built bundle is', () => {
  let path: string | null = null;
  try {
    path = browserBundlePath();
  } catch (err) {
    // Not built yet (the suite builds first in CI): the error says what to do.
    expect((err as Error).message).toContain('pnpm build');
  }
  if (path !== null) {
    expect(path.endsWith(`/dist/browser/${BUNDLE_FILE}`)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('odoo-sync-timeline');
  }
});
