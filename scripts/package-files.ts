/**
 * The packages' own `test/package.test.ts`: {@link describePackageFiles} checks that the files a
 * package's `package.json` points at (its exports' source entries, every export target, and its
 * bins) exist, that its commands start with a shebang, and that a built command runs. Each
 * package's test file is one call.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SHEBANG = '#!/usr/bin/env node\n';

/** What a package's manifest points at, as paths relative to the package root. */
export interface PackageFiles {
  /** The package root (absolute). */
  root: string;
  /** The `@odoo-sync/source` entry of every export (TypeScript sources, used by tests). */
  sources: string[];
  /** Every file any export points at (the sources above and the build). */
  targets: string[];
  /** `bin` entries by command name. */
  bins: Record<string, string>;
  /** Whether `dist/` exists (the build is not part of `pnpm test`; CI builds first). */
  isBuilt: boolean;
}

function targets(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (entry && typeof entry === 'object') return Object.values(entry).flatMap(targets);
  return [];
}

/** Reads `<root>/package.json` and lists the files it points at. */
export function packageFiles(root: string): PackageFiles {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | Record<string, unknown>>;
    bin?: Record<string, string>;
  };
  const entries = Object.values(pkg.exports);
  const sources = entries.flatMap((entry) => {
    const source = typeof entry === 'object' ? entry['@odoo-sync/source'] : undefined;
    return typeof source === 'string' ? [source] : [];
  });
  return { root, sources, targets: entries.flatMap(targets), bins: pkg.bin ?? {}, isBuilt: existsSync(join(root, 'dist')) };
}

/** What {@link describePackageFiles} checks beyond the manifest's own entries. */
export interface PackageFileChecks {
  /** Source files that are commands: each must start with `#!/usr/bin/env node`. */
  commandSources?: readonly string[];
  /**
   * Built commands to run, by `bin` name: run with `args`, each must exit 0 and print
   * `stdoutContains`.
   */
  commandRuns?: Readonly<Record<string, { args: readonly string[]; stdoutContains: string }>>;
}

/**
 * Registers a package's packaging tests: every source entry exists (and every command source
 * starts with a shebang); once the package is built, every built entry and bin exists, every
 * bin starts with a shebang and every command run in `checks.commandRuns` succeeds. The build
 * is not part of `pnpm test` (CI builds first): locally, `pnpm --filter <package> build`, or
 * the built checks are skipped.
 */
export function describePackageFiles(root: string, checks: PackageFileChecks = {}): void {
  const pkg = packageFiles(root);
  describe('package files', () => {
    it('points every source entry at a file that exists', () => {
      for (const source of pkg.sources) expect(existsSync(join(pkg.root, source)), source).toBe(true);
      for (const source of checks.commandSources ?? []) {
        expect(readFileSync(join(pkg.root, source), 'utf8').startsWith(SHEBANG), source).toBe(true);
      }
    });

    it.skipIf(!pkg.isBuilt)('points every built entry and bin at files that exist; the bins start with a shebang and run', () => {
      for (const target of [...pkg.targets, ...Object.values(pkg.bins)]) {
        expect(existsSync(join(pkg.root, target)), target).toBe(true);
      }
      for (const bin of Object.values(pkg.bins)) {
        expect(readFileSync(join(pkg.root, bin), 'utf8').startsWith(SHEBANG), bin).toBe(true);
      }
      for (const [name, run] of Object.entries(checks.commandRuns ?? {})) {
        const bin = pkg.bins[name];
        expect(bin, `bin ${name}`).toBeDefined();
        const result = spawnSync(process.execPath, [join(pkg.root, bin ?? ''), ...run.args], { encoding: 'utf8' });
        expect(result.status, `${name} ${run.args.join(' ')}: ${result.stderr}`).toBe(0);
        expect(result.stdout).toContain(run.stdoutContains);
      }
    });
  });
}
