import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, unknown>>;
};
const built = existsSync(join(root, 'dist'));

function targets(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (entry && typeof entry === 'object') return Object.values(entry).flatMap(targets);
  return [];
}

describe('package', () => {
  it('points every source entry at a file that exists', () => {
    for (const entry of Object.values(pkg.exports)) {
      const source = typeof entry === 'object' ? entry['@odoo-sync/source'] : undefined;
      if (typeof source === 'string') expect(existsSync(join(root, source)), source).toBe(true);
    }
  });

  // The build is not part of `pnpm test`; CI builds first. Locally: pnpm --filter @odoo-sync/koa-server build.
  it.skipIf(!built)('points every built entry and the bin at files that exist; the bin runs', () => {
    for (const target of [...Object.values(pkg.exports).flatMap(targets), ...Object.values(pkg.bin)]) {
      expect(existsSync(join(root, target)), target).toBe(true);
    }
    const bin = join(root, pkg.bin['odoo-sync']!);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('odoo-sync apikey create');
  });
});
