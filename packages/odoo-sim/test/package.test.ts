import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFiles } from '../../../scripts/package-files.js';

const pkg = packageFiles(join(import.meta.dirname, '..'));

describe('package exports', () => {
  it('points every source entry at a file that exists', () => {
    for (const source of pkg.sources) expect(existsSync(join(pkg.root, source)), source).toBe(true);
    expect(readFileSync(join(pkg.root, 'src/cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  // The build is not part of `pnpm test`; run `pnpm --filter @odoo-sync/odoo-sim build` first.
  it.skipIf(!pkg.isBuilt)('points every built entry and the bin at files that exist', () => {
    for (const target of [...pkg.targets, ...Object.values(pkg.bins)]) {
      expect(existsSync(join(pkg.root, target)), target).toBe(true);
    }
    expect(readFileSync(join(pkg.root, pkg.bins['odoo-sim'] as string), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
