import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFiles } from '../../../scripts/package-files.js';

const pkg = packageFiles(join(import.meta.dirname, '..'));

describe('package exports', () => {
  it('points every source entry at a file that exists', () => {
    for (const source of pkg.sources) expect(existsSync(join(pkg.root, source)), source).toBe(true);
  });

  // The build is not part of `pnpm test`; run `pnpm --filter @odoo-sync/odoo-adapter build` first.
  it.skipIf(!pkg.isBuilt)('points every built entry at a file that exists', () => {
    for (const target of pkg.targets) expect(existsSync(join(pkg.root, target)), target).toBe(true);
  });
});
