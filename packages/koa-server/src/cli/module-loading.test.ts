/**
 * What the CLI loads for a server on SQLite: not the packages of the configurations it does not
 * use (MSAL for the demo's sign-in, the MongoDB driver, the Odoo simulator). Each weighs
 * megabytes of an idle server's memory. Runs in a child process: a module once loaded by
 * another test of this worker could not be told apart.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));
const COMMANDS = fileURLToPath(new URL('./commands.ts', import.meta.url));

// Records the URL of every ES module the child loads (CommonJS ones go through require.cache).
const RECORDER = `
import { register } from 'node:module';
globalThis.loadedModules = [];
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => globalThis.loadedModules.push(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(\`
  let port;
  export function initialize(data) { port = data.port; }
  export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
\`), { data: { port: port2 }, transferList: [port2] });
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('modules the CLI loads', () => {
  it('opens an SQLite store without loading MSAL, the MongoDB driver or the Odoo simulator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-modules-'));
    dirs.push(dir);
    const script = `
      import { createRequire } from 'node:module';
      const { openStore } = await import(${JSON.stringify(COMMANDS.replace('commands.ts', '../runtime/composition.ts'))});
      await import(${JSON.stringify(COMMANDS)});
      const { createLogger } = await import(${JSON.stringify(join(HERE, '../runtime/logger.ts'))});
      const store = await openStore({ kind: 'sqlite', path: ${JSON.stringify(join(dir, 'store.sqlite'))} }, createLogger({ level: 'silent' }));
      await store.ping();
      await store.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const loaded = [...globalThis.loadedModules, ...Object.keys(createRequire(import.meta.url).cache)];
      process.stdout.write(JSON.stringify(loaded));
    `;
    const { stdout } = await run(
      process.execPath,
      ['--conditions=@odoo-sync/source', '--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(RECORDER)}`, '--input-type=module', '-e', script],
      { cwd: HERE, env: { PATH: process.env['PATH'] } },
    );
    const loaded = JSON.parse(stdout) as string[];
    const uses = (name: string) => loaded.some((url) => url.includes(`/node_modules/${name}/`) || url.includes(`/node_modules/.pnpm/${name.replace('/', '+')}@`));
    expect(uses('better-sqlite3')).toBe(true);
    expect(uses('@azure/msal-node')).toBe(false);
    expect(uses('mongodb')).toBe(false);
    expect(loaded.some((url) => url.includes('/packages/odoo-sim/'))).toBe(false);
  }, 90_000);
});
