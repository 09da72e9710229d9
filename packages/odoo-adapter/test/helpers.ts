/**
 * Shared setup of the adapter's end-to-end tests: a real odoo-sim on 127.0.0.1 (port 0) per
 * test, clients with fast retries, a fetch that counts requests, and a logger that keeps lines.
 */
import { afterEach } from 'vitest';
import type { Logger } from '@odoo-sync/core';
import { type OdooSim, startOdooSim } from '@odoo-sync/odoo-sim';
import { type FetchLike, OdooClient, type OdooClientOptions, type OdooProtocol } from '../src/index.js';

type SimOptions = NonNullable<Parameters<typeof startOdooSim>[0]>;

const running: OdooSim[] = [];
const clients: OdooClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** Starts a small simulator (Odoo 19, so both protocols work); closed after the test. */
export async function startSim(options: SimOptions = {}): Promise<OdooSim> {
  const sim = await startOdooSim({
    host: '127.0.0.1',
    port: 0,
    version: '19.0',
    seed: 7,
    counts: { partners: 40, opportunities: 10, invoices: 5, employees: 5, users: 3 },
    ...options,
  });
  running.push(sim);
  return sim;
}

/** A fetch that counts requests by path (`/xmlrpc/2/object`, `/json/2/res.partner/search_read`). */
export function countingFetch(): { fetch: FetchLike; count: (pathPart?: string) => number; paths: string[] } {
  const paths: string[] = [];
  const fetchImpl: FetchLike = (input, init) => {
    paths.push(new URL(input).pathname);
    return globalThis.fetch(input, init);
  };
  return { fetch: fetchImpl, paths, count: (part) => (part === undefined ? paths.length : paths.filter((p) => p.includes(part)).length) };
}

/** A logger that keeps every line as JSON text. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push(JSON.stringify({ level, ...fields, message }));
  };
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** A client of `sim` with fast retries; closed after the test. */
export function clientOf(sim: OdooSim, protocol: OdooProtocol | 'auto', options: Partial<OdooClientOptions> = {}): OdooClient {
  const client = new OdooClient({
    url: sim.url,
    db: sim.db,
    username: sim.credentials.username,
    apiKey: sim.credentials.apiKey,
    protocol,
    timeoutMs: 5000,
    retries: 3,
    retryMinTimeoutMs: 5,
    retryMaxTimeoutMs: 20,
    ...options,
  });
  clients.push(client);
  return client;
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

/** Both protocols, for `describe.each`. */
export const PROTOCOLS = ['xmlrpc', 'json2'] as const satisfies readonly OdooProtocol[];

/**
 * Both ways a client sends requests, for `it.each`: its own `node:http` exchange (no `fetch`
 * option) and an injected fetch (Node's global one).
 */
export const HTTP_PATHS: ReadonlyArray<readonly [string, Partial<OdooClientOptions>]> = [
  ['node:http', {}],
  ['fetch', { fetch: (input, init) => globalThis.fetch(input, init) }],
];
