/**
 * The files every package's `package.json` points at: its exports' source entries exist (and
 * every command source starts with a shebang); once the package is built, every built entry and
 * bin exists, every bin starts with a shebang and the commands below run. The build is not part
 * of `pnpm test` (CI builds first): locally, `pnpm build`, or the built checks are skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SHEBANG = '#!/usr/bin/env node\n';
const packagesDir = resolve(import.meta.dirname, '../../packages');

/** What a package checks beyond its manifest's own entries. */
interface PackageFileChecks {
  /** Source files that are commands: each must start with `#!/usr/bin/env node`. */
  commandSources?: readonly string[];
  /** Built commands to run, by `bin` name: each must exit 0 and print `stdoutContains`. */
  commandRuns?: Readonly<Record<string, { args: readonly string[]; stdoutContains: string }>>;
}

const checksByPackage: Readonly<Record<string, PackageFileChecks>> = {
  'koa-server': { commandRuns: { 'odoo-sync': { args: ['--help'], stdoutContains: 'odoo-sync apikey create' } } },
  'odoo-sim': { commandSources: ['src/cli.ts'] },
};

function targets(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (entry && typeof entry === 'object') return Object.values(entry).flatMap(targets);
  return [];
}

const packages = readdirSync(packagesDir).filter((dir) => existsSync(join(packagesDir, dir, 'package.json')));

describe.each(packages)('package files of packages/%s', (dir) => {
  const root = join(packagesDir, dir);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | Record<string, unknown>>;
    bin?: Record<string, string>;
  };
  const entries = Object.values(manifest.exports);
  const sources = entries.flatMap((entry) => {
    const source = typeof entry === 'object' ? entry['@odoo-sync/source'] : undefined;
    return typeof source === 'string' ? [source] : [];
  });
  const bins = manifest.bin ?? {};
  const checks = checksByPackage[dir] ?? {};

  it('points every source entry at a file that exists', () => {
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(join(root, source)), source).toBe(true);
    for (const source of checks.commandSources ?? []) {
      expect(readFileSync(join(root, source), 'utf8').startsWith(SHEBANG), source).toBe(true);
    }
  });

  it.skipIf(!existsSync(join(root, 'dist')))('points every built entry and bin at files that exist; the bins start with a shebang and run', () => {
    for (const target of [...entries.flatMap(targets), ...Object.values(bins)]) expect(existsSync(join(root, target)), target).toBe(true);
    for (const bin of Object.values(bins)) expect(readFileSync(join(root, bin), 'utf8').startsWith(SHEBANG), bin).toBe(true);
    for (const [name, run] of Object.entries(checks.commandRuns ?? {})) {
      const bin = bins[name];
      expect(bin, `bin ${name}`).toBeDefined();
      const result = spawnSync(process.execPath, [join(root, bin ?? ''), ...run.args], { encoding: 'utf8' });
      expect(result.status, `${name} ${run.args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(run.stdoutContains);
    }
  });
});
