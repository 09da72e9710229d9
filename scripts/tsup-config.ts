import { defineConfig, type Options } from 'tsup';

/**
 * The one build every package shares: ESM + CJS + declarations for each entry (a list of
 * files, or output names to files),
 * against the built declarations of sibling packages (not their sources).
 */
export function packageBuild(entry: string[] | Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    // One copy of each module across entry points, so error classes compare with instanceof.
    splitting: true,
    treeshake: true,
    ...overrides,
  });
}
