// @ts-check
/**
 * ESLint flat config: typescript-eslint's strict, type-aware rule set over every
 * TypeScript file the root tsconfig.json covers (package sources, tests, benches,
 * examples, scripts). Types come from the TypeScript project service, so the
 * rules see the same program `pnpm typecheck` does.
 */
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'docs/api/**',
      '**/.changeset/**',
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Config files outside tsconfig.json's `include` get a default project.
          allowDefaultProject: ['eslint.config.js', 'packages/*/tsup.config.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // Numbers read naturally in messages (`${count} records`); other non-strings
      // (undefined, null, objects) stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(x) => void fn()`-style one-liners are the idiom in handlers and callbacks.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Ports are Promise-returning by contract; stores over synchronous drivers
      // (better-sqlite3, in-memory) implement them as `async` functions without
      // `await` on purpose, so a synchronous throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests, benches and scripts read untyped JSON bodies and index fixtures they
    // just built: a wrong shape fails the assertion, so `any` and `!` are allowed there.
    files: ['**/test/**', '**/*.test.ts', '**/bench/**', 'scripts/**', 'vitest.config.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
