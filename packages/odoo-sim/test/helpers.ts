/**
 * Test helpers: tiny XML-RPC and JSON-2 clients over fetch, and a simulator per test that is
 * closed afterwards.
 */
import { afterEach } from 'vitest';
import { generateDataset, type OdooSim, type OdooSimOptions, startOdooSim } from '../src/index.js';
import { parseXmlRpcResponse, xmlRpcRequest } from '../src/xmlrpc.js';

const running = new Set<OdooSim>();

afterEach(async () => {
  await Promise.all([...running].map((sim) => sim.close()));
  running.clear();
});

/** Starts a simulator that is closed after the test. */
export async function useSim(options: OdooSimOptions = {}): Promise<OdooSim> {
  const sim = await startOdooSim(options);
  running.add(sim);
  return sim;
}

/** A simulator with almost no generated data: tests create exactly the rows they need. */
export async function useEmptySim(options: OdooSimOptions = {}): Promise<OdooSim> {
  return useSim({
    dataset: generateDataset({ seed: 3, counts: { partners: 0, opportunities: 0, invoices: 0, employees: 0, users: 0 } }),
    ...options,
  });
}

/** Raw XML-RPC POST: status, content type and body text. */
export async function rawXmlRpc(sim: OdooSim, service: string, body: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${sim.url}/xmlrpc/2/${service}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Calls an XML-RPC method; returns the value or throws a `{ faultCode, faultString }` object. */
export async function xmlrpc(sim: OdooSim, service: string, method: string, params: unknown[]): Promise<unknown> {
  const { status, text } = await rawXmlRpc(sim, service, xmlRpcRequest(method, params));
  if (status !== 200) throw new Error(`HTTP ${status}: ${text}`);
  const answer = parseXmlRpcResponse(text);
  if (answer.fault) throw Object.assign(new Error(String(answer.faultString)), { faultCode: answer.faultCode, faultString: answer.faultString });
  return answer.value;
}

/** `execute_kw` as the admin (password). */
export function executeKw(sim: OdooSim, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<unknown> {
  return xmlrpc(sim, 'object', 'execute_kw', [sim.db, sim.credentials.uid, sim.credentials.password, model, method, args, kwargs]);
}

/** The fault an XML-RPC call ends with (fails the test if it succeeds). */
export async function xmlrpcFault(promise: Promise<unknown>): Promise<{ faultCode: unknown; faultString: string }> {
  try {
    const value = await promise;
    throw new Error(`expected a fault, got ${JSON.stringify(value)}`);
  } catch (error) {
    const fault = error as { faultCode?: unknown; faultString?: unknown };
    if (fault.faultCode === undefined) throw error;
    return { faultCode: fault.faultCode, faultString: String(fault.faultString) };
  }
}

/** A JSON-2 call: status, headers and parsed body. */
export async function json2(
  sim: OdooSim,
  model: string,
  method: string,
  body: unknown,
  options: { apiKey?: string | null; headers?: Record<string, string>; raw?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Odoo-Database': sim.db, ...options.headers };
  const key = options.apiKey === undefined ? sim.credentials.apiKey : options.apiKey;
  if (key !== null) headers['Authorization'] = `bearer ${key}`;
  const res = await fetch(`${sim.url}/json/2/${model}/${method}`, { method: 'POST', headers, body: options.raw ?? JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
