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
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
