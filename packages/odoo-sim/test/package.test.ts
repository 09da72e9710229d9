import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string | Record<string, string>>>;
  bin: Record<string, string>;
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
    expect(readFileSync(join(root, 'src/cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  // The build is not part of `pnpm test`; run `pnpm --filter @odoo-sync/odoo-sim build` first.
  it.skipIf(!built)('points every built entry and the bin at files that exist', () => {
    for (const target of [...Object.values(pkg.exports).flatMap(targets), ...Object.values(pkg.bin)]) {
      expect(existsSync(join(root, target)), target).toBe(true);
    }
    expect(readFileSync(join(root, pkg.bin['odoo-sim'] as string), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
