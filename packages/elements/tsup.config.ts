import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/tsup-config.js';

// The npm entries (ESM only: Lit is ESM only; Lit stays a dependency) and the self-contained
// browser bundle (Lit inlined, minified) that defines every tag.
const npm = packageBuild(['src/index.ts', 'src/define.ts', 'src/bundle.ts'], { format: ['esm'], platform: 'neutral', target: 'es2022', external: ['lit', 'node:fs', 'node:url'], clean: false });

export default [
  npm,
  defineConfig({
    entry: { 'odoo-sync-elements': 'src/define.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    minify: true,
    sourcemap: true,
    dts: false,
    clean: false,
    splitting: false,
    treeshake: true,
    outExtension: () => ({ js: '.js' }),
  }),
];
