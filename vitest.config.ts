import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
const packagesDir = join(root, 'packages');
const packageNames = readdirSync(packagesDir).filter((name) =>
  existsSync(join(packagesDir, name, 'package.json')),
);

const exampleNames = existsSync(join(root, 'examples'))
  ? readdirSync(join(root, 'examples')).filter((name) => existsSync(join(root, 'examples', name, 'package.json')))
  : [];

/**
 * Tests run against the TypeScript sources of sibling packages, not their builds: every
 * `exports` entry carries an `@odoo-sync/source` condition that names its source file.
 */
function sourceAliases(): { find: string; replacement: string }[] {
  const aliases: { find: string; replacement: string }[] = [];
  for (const dir of packageNames) {
    const pkg = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as {
      name: string;
      exports?: Record<string, Record<string, unknown> | string>;
    };
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (typeof target !== 'object' || typeof target['@odoo-sync/source'] !== 'string') continue;
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
      aliases.push({
        find: specifier,
        replacement: resolve(packagesDir, dir, target['@odoo-sync/source']),
      });
    }
  }
  // Longest first, so `@odoo-sync/core/testing` wins over `@odoo-sync/core`.
  return aliases.sort((a, b) => b.find.length - a.find.length);
}

const aliases = sourceAliases().map(({ find, replacement }) => ({
  find: new RegExp(`^${find.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
  replacement,
}));

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    reporters: ['default', join(root, 'scripts/summary-reporter.ts')],
    // Only with `pnpm coverage` (vitest --coverage): the packages' sources, not tests or test kits.
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/testing/**'],
      reporter: ['text-summary', 'html'],
    },
    projects: [
      ...packageNames.map((name) => ({ name, root: join(packagesDir, name) })),
      ...exampleNames.map((name) => ({ name: `example-${name}`, root: join(root, 'examples', name) })),
      // The standing fault suite (`pnpm test:faults`): whole processes, killed and faulted.
      { name: 'faults', root: join(root, 'test/faults') },
      // What the published packages declare (metadata, ranges, bins, types for old resolutions).
      { name: 'release', root: join(root, 'test/release') },
    ].map(({ name, root: projectRoot }) => ({
      extends: true,
      test: {
        name,
        root: projectRoot,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts', ...(name === 'faults' || name === 'release' ? ['**/*.test.ts'] : [])],
        testTimeout: 30_000,
        hookTimeout: 60_000,
        ...(name === 'faults' ? { globalSetup: [join(root, 'test/faults/support/global-setup.ts')] } : {}),
        // The browser bundle, built once per run for every elements test file that loads it.
        ...(name === 'elements' ? { globalSetup: [join(packagesDir, 'elements/test/support/global-setup.ts')] } : {}),
      },
    })),
  },
});
