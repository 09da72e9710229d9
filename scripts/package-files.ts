/**
 * For the packages' own `test/package.test.ts`: the files a package's `package.json` points at
 * (its exports' source entries, every export target, and its bins), so each
 * test checks they exist without parsing the manifest itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
