import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/tsup-config.js';

// The npm entries: ESM only (Lit is ESM only) with Lit as a dependency.
const npm = packageBuild(['src/index.ts', 'src/define.ts', 'src/bundle.ts'], {
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  external: ['lit', 'node:fs', 'node:url'],
  clean: false,
});

// The self-contained browser bundle: Lit inlined, minified, defines every tag. The package's
// tests build only this one, into a directory of theirs (ELEMENTS_BROWSER_ONLY).
const browserOnly = process.env['ELEMENTS_BROWSER_ONLY'];
const browser = defineConfig({
  entry: { 'odoo-sync-elements': 'src/define.ts' },
  outDir: browserOnly ?? 'dist/browser',
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  noExternal: [/.*/],
  minify: true,
  sourcemap: !browserOnly,
  dts: false,
  clean: false,
  splitting: false,
  treeshake: true,
  outExtension: () => ({ js: '.js' }),
});

export default browserOnly ? browser : [npm, browser];
