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
      // The promise rules this config exists for (already in strictTypeChecked; named
      // here so that loosening the preset cannot drop them).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Numbers read naturally in messages (`${count} records`); other non-strings
      // (undefined, null, objects) stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(x) => void fn()`-style one-liners are the idiom in handlers and callbacks.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Ports are Promise-returning by contract; stores over synchronous drivers
      // (better-sqlite3, in-memory) implement them as `async` functions without
      // `await` on purpose, so a synchronous throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      // `noUncheckedIndexedAccess` is on: `!` marks an index read the code has just
      // proven in bounds (a regex group that matched, a key taken from the same map).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Public entry points re-check what JavaScript callers and stored documents
      // pass at run time (option objects, env, rows from older versions), which the
      // static types say cannot happen; this rule would delete those guards.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unnecessary-boolean-literal-compare': 'off',
      // Forwarding another promise's rejection reason unchanged is correct.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // `let x!: T` filled in later by a callback that closes over it.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Error messages (and the Odoo simulator) deliberately stringify values of
      // unknown shape that callers passed; `[object Object]` there is acceptable.
      '@typescript-eslint/no-base-to-string': 'off',
      // tsc's noUnusedLocals/noUnusedParameters already report unused names, and
      // unlike this rule they count imports used only in TSDoc `{@link …}`.
      '@typescript-eslint/no-unused-vars': 'off',
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
      // Tests build deliberate fakes and malformed values to exercise guards.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // `raw<T>(sql)`-style typed readers in test harnesses.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      // Callback-style peers (xmlrpc clients) hand back errors typed `Object`.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' },
    },
  },
);
