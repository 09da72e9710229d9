import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFiles } from '../../../scripts/package-files.js';

const pkg = packageFiles(resolve(import.meta.dirname, '..'));

describe('package', () => {
  it('points every source entry at a file that exists', () => {
    for (const source of pkg.sources) expect(existsSync(join(pkg.root, source)), source).toBe(true);
  });

  // The build is not part of `pnpm test`; CI builds first. Locally: pnpm --filter @odoo-sync/koa-server build.
  it.skipIf(!pkg.isBuilt)('points every built entry and the bin at files that exist; the bin runs', () => {
    for (const target of [...pkg.targets, ...Object.values(pkg.bins)]) {
      expect(existsSync(join(pkg.root, target)), target).toBe(true);
    }
    const bin = join(pkg.root, pkg.bins['odoo-sync']!);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('odoo-sync apikey create');
  });
});
