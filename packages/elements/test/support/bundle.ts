/**
 * Builds the browser bundle from the current sources into a temporary directory, with the
 * package's own tsup config (only its browser build), so tests never run a stale `dist/`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const packageDir = resolve(import.meta.dirname, '../..');

/** Builds `odoo-sync-elements.js` into a new temporary directory and returns its path. */
export function buildBrowserBundle(): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-elements-bundle-'));
  const tsup = join(dirname(createRequire(join(packageDir, 'package.json')).resolve('tsup/package.json')), 'dist/cli-default.js');
  const result = spawnSync(process.execPath, [tsup, '--silent'], {
    cwd: packageDir,
    env: { ...process.env, ELEMENTS_BROWSER_ONLY: dir },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`tsup failed: ${result.stderr}${result.stdout}`);
  const file = join(dir, 'odoo-sync-elements.js');
  readFileSync(file); // throws when the build wrote nothing
  return { file, dir };
}
