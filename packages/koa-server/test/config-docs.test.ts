import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedFiles } from '../../../scripts/config-docs.js';
import { CONFIG_VARIABLES, loadConfig } from '../src/runtime/config.js';
import { undocumentedVariables } from '../src/runtime/config-docs.js';

describe('docs/configuration.md and .env.example', () => {
  it('document every variable of the configuration schema', () => {
    expect(undocumentedVariables()).toEqual([]);
  });

  it('are what `pnpm docs:config` writes from the schema (run it after adding a variable)', () => {
    for (const [path, expected] of expectedFiles()) {
      expect(readFileSync(path, 'utf8'), `${path} is out of step: run pnpm docs:config`).toBe(expected);
    }
  });

  it('.env.example names each variable once, commented out, with its example value', () => {
    const text = readFileSync(resolve(import.meta.dirname, '../../../.env.example'), 'utf8');
    for (const [name, example] of Object.entries(CONFIG_VARIABLES)) {
      expect(text.split('\n').filter((line) => line.startsWith(`# ${name}=`))).toEqual([`# ${name}=${example}`]);
    }
    // As shipped it sets nothing: the server starts on its defaults.
    const dir = resolve(import.meta.dirname, '../../..');
    expect(loadConfig({}, { envFile: resolve(dir, '.env.example'), cwd: dir })).toEqual(loadConfig({}, { envFile: false, cwd: dir }));
  });
});
