import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string | Record<string, string>>>;
};
const built = existsSync(join(root, 'dist'));

function targets(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (entry && typeof entry === 'object') return Object.values(entry).flatMap(targets);
  return [];
}

describe('package exports', () => {
  it('points every source entry at a file that exists', () => {
    for (const entry of Object.values(pkg.exports)) {
      const source = typeof entry === 'object' ? entry['@odoo-sync/source'] : undefined;
      if (typeof source === 'string') expect(existsSync(join(root, source)), source).toBe(true);
    }
  });

  // The build is not part of `pnpm test`; run `pnpm --filter @odoo-sync/odoo-adapter build` first.
  it.skipIf(!built)('points every built entry at a file that exists', () => {
    for (const target of Object.values(pkg.exports).flatMap(targets)) {
      expect(existsSync(join(root, target)), target).toBe(true);
    }
  });
});
