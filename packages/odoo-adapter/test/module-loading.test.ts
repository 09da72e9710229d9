/**
 * What a client loads for its transport: the XML-RPC libraries (`xmlrpc`, which brings `sax` and
 * `xmlbuilder`) only when XML-RPC is chosen, so a client on JSON-2 (a server's usual case) never
 * holds them in memory. Runs in child processes: a module once loaded by another test of this
 * worker could not be told apart.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));
const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));

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

/** The modules a child loads to build a client on `protocol` and pick its transport (no request is sent). */
async function modulesLoadedFor(protocol: 'json2' | 'xmlrpc'): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    const { OdooClient } = await import(${JSON.stringify(INDEX)});
    const client = new OdooClient({ url: 'http://127.0.0.1:9', db: 'db', username: 'bot', apiKey: 'key', protocol: ${JSON.stringify(protocol)} });
    const chosen = await client.resolveProtocol();
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const loaded = [...globalThis.loadedModules, ...Object.keys(createRequire(import.meta.url).cache)];
    process.stdout.write(JSON.stringify({ chosen, loaded }));
  `;
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@odoo-sync/source', '--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(RECORDER)}`, '--input-type=module', '-e', script],
    { cwd: HERE, env: { PATH: process.env['PATH'] } },
  );
  const { chosen, loaded } = JSON.parse(stdout) as { chosen: string; loaded: string[] };
  expect(chosen).toBe(protocol);
  return loaded;
}

const usesXmlRpc = (loaded: readonly string[]) =>
  loaded.some((url) => /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(?:xmlrpc|sax|xmlbuilder)\//.test(url) || url.includes('/xmlrpc-transport.'));

describe('modules a client loads', () => {
  it('on JSON-2: not the XML-RPC transport nor its libraries', async () => {
    expect(usesXmlRpc(await modulesLoadedFor('json2'))).toBe(false);
  }, 60_000);

  it('on XML-RPC: the XML-RPC transport and its libraries, once chosen', async () => {
    expect(usesXmlRpc(await modulesLoadedFor('xmlrpc'))).toBe(true);
  }, 60_000);
});
