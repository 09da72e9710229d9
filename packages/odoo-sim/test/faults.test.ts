import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { OdooSim } from '../src/index.js';
import { executeKw, json2, useSim, xmlrpc, xmlrpcFault } from './helpers.js';

describe('fault injection', () => {
  it('latency(ms) delays answers; close() does not wait for them', async () => {
    const sim = await useSim({ version: '19.0' });
    // A first answer opens a kept-alive connection, so the next requests reach the server at once.
    expect((await fetch(`${sim.url}/web/version`)).status).toBe(200);
    sim.faults.latency(5_000);
    const aborted = await fetch(`${sim.url}/web/version`, { signal: AbortSignal.timeout(100) }).catch((error: unknown) => error);
    expect(aborted).toBeInstanceOf(Error);
    expect((aborted as Error).name).toBe('TimeoutError');
    const pending = fetch(`${sim.url}/web/version`).catch((error: unknown) => error);
    // Close only once the server holds the delayed request (a connection still in the accept
    // queue when the server closes may leave fetch waiting).
    for (const deadline = Date.now() + 10_000; sim.stats().requests < 3 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(sim.stats().requests).toBe(3);
    await sim.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('latency(0) turns it off again', async () => {
    const sim = await useSim();
    sim.faults.latency(5_000);
    sim.faults.latency(0);
    expect((await fetch(`${sim.url}/web/version`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
  });

  it('dropConnections(n) destroys the next n connections mid-answer, then answers again', async () => {
    const sim = await useSim({ version: '19.0' });
    sim.faults.dropConnections(2);
    const first = await executeKw(sim, 'res.partner', 'search_read', [[]], { fields: ['name'] }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(Error);
    expect((first as { faultCode?: unknown }).faultCode).toBeUndefined();
    const second = await json2(sim, 'res.partner', 'search', { domain: [] }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(Error);
    expect((await json2(sim, 'res.partner', 'search_count', { domain: [] })).status).toBe(200);
    expect(sim.stats().byRoute['/xmlrpc/2/object']).toBe(1);
  });

  it("dropConnections(n, { framing: 'content-length' }) cuts an HTTP/1.0 answer short of its Content-Length", async () => {
    const sim = await useSim({ version: '19.0' });
    sim.faults.dropConnections(1, { framing: 'content-length' });
    const raw = await rawPost(sim, '/json/2/res.partner/search_read', JSON.stringify({ domain: [], fields: ['name'] }));
    expect(raw.head).toMatch(/^HTTP\/1\.0 200 OK\r\n/);
    expect(raw.head).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
    expect(raw.head).not.toMatch(/transfer-encoding/i);
    const announced = Number(/\r\ncontent-length: (\d+)\r\n/i.exec(raw.head)?.[1]);
    expect(announced).toBeGreaterThan(0);
    expect(raw.body.length).toBeGreaterThan(0);
    expect(raw.body.length).toBeLessThan(announced);
    // Node's fetch reports it as a length mismatch, not as a closed socket.
    sim.faults.dropConnections(1, { framing: 'content-length' });
    expect(await failureCodes(json2Fetch(sim, 'res.partner/search_read'))).toContain('UND_ERR_RES_CONTENT_LENGTH_MISMATCH');
    expect((await json2(sim, 'res.partner', 'search_count', { domain: [] })).status).toBe(200);
  });

  it("dropConnections(n) cuts a chunked HTTP/1.1 answer (framing 'chunked', the default)", async () => {
    const sim = await useSim({ version: '19.0' });
    sim.faults.dropConnections(1);
    const raw = await rawPost(sim, '/json/2/res.partner/search_read', JSON.stringify({ domain: [], fields: ['name'] }));
    expect(raw.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw.head).toMatch(/\r\ntransfer-encoding: chunked\r\n/i);
    sim.faults.dropConnections(1, { framing: 'chunked' });
    const codes = await failureCodes(json2Fetch(sim, 'res.partner/search_read'));
    expect(codes).toContain('UND_ERR_SOCKET');
    expect(codes).not.toContain('UND_ERR_RES_CONTENT_LENGTH_MISMATCH');
  });

  it('dropConnections cuts XML-RPC answers and small answers too, with either framing', async () => {
    const sim = await useSim();
    for (const framing of ['chunked', 'content-length'] as const) {
      sim.faults.dropConnections(2, { framing });
      expect(await executeKw(sim, 'res.partner', 'search_read', [[]], { fields: ['name'] }).catch((error: unknown) => error)).toBeInstanceOf(Error);
      expect(await xmlrpc(sim, 'common', 'version', []).catch((error: unknown) => error)).toBeInstanceOf(Error);
      expect(await xmlrpc(sim, 'common', 'version', [])).toMatchObject({ server_version: '17.0' });
    }
  });

  it('html502(n) answers 502 with an nginx HTML page n times', async () => {
    const sim = await useSim();
    sim.faults.html502(2);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${sim.url}/xmlrpc/2/common`, { method: 'POST', body: '<methodCall><methodName>version</methodName></methodCall>' });
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const body = await res.text();
      expect(body).toContain('<title>502 Bad Gateway</title>');
      expect(body).toContain('nginx');
    }
    expect(await xmlrpc(sim, 'common', 'version', [])).toMatchObject({ server_version: '17.0' });
  });

  it('loginCooldown(true): authenticate answers false, execute_kw faults 3 with the cooldown text, JSON-2 keys still work', async () => {
    const sim = await useSim({ version: '19.0' });
    sim.faults.loginCooldown(true);
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'admin', 'admin', {}])).toBe(false);
    expect(await xmlrpcFault(executeKw(sim, 'res.partner', 'search_count', [[]]))).toEqual({
      faultCode: 3,
      faultString: 'Too many login failures, please wait a bit before trying again.',
    });
    expect((await json2(sim, 'res.partner', 'search_count', { domain: [] })).status).toBe(200);
    sim.faults.loginCooldown(false);
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'admin', 'admin', {}])).toBe(2);
  });

  it('uninstall(model): fault 2 "Object x doesn\'t exist", JSON-2 404, fields that need it vanish; reinstall brings it back', async () => {
    const sim = await useSim({ version: '19.0' });
    sim.faults.uninstall('crm.lead');
    sim.faults.uninstall('account.move');
    expect(await xmlrpcFault(executeKw(sim, 'crm.lead', 'search_read', [[]], { limit: 1 }))).toEqual({ faultCode: 2, faultString: "Object crm.lead doesn't exist" });
    expect(await json2(sim, 'crm.lead', 'search_read', { domain: [] })).toMatchObject({ status: 404, body: { message: "the model 'crm.lead' does not exist" } });
    expect(Object.keys((await executeKw(sim, 'res.partner', 'fields_get', [])) as object)).not.toContain('customer_rank');
    expect(await xmlrpcFault(executeKw(sim, 'res.partner', 'search_read', [[]], { fields: ['customer_rank'], limit: 1 }))).toMatchObject({ faultCode: 1 });
    const partners = (await executeKw(sim, 'res.partner', 'search_count', [[]])) as number;
    expect(partners).toBeGreaterThan(0);
    sim.faults.reinstall('crm.lead');
    expect(((await executeKw(sim, 'crm.lead', 'search', [[]])) as number[]).length).toBe(sim.count('crm.lead'));
    expect(() => sim.faults.uninstall('no.such.model')).toThrow(/doesn't exist/);
  });

  it('reset() turns every fault off and reinstalls every model', async () => {
    const sim = await useSim();
    sim.faults.latency(10_000);
    sim.faults.html502(5);
    sim.faults.dropConnections(5);
    sim.faults.loginCooldown(true);
    sim.faults.uninstall('hr.employee');
    sim.faults.reset();
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'admin', 'admin', {}])).toBe(2);
    expect(await executeKw(sim, 'hr.employee', 'search_count', [[]])).toBe(sim.count('hr.employee'));
  });

  it('rejects nonsense fault arguments', async () => {
    const sim = await useSim();
    expect(() => sim.faults.latency(-1)).toThrow(TypeError);
    expect(() => sim.faults.html502(1.5)).toThrow(TypeError);
    expect(() => sim.faults.dropConnections(1, { framing: 'gzip' as never })).toThrow(TypeError);
  });
});

/** A POST on a raw socket: the status line and headers as sent, and the body bytes that arrived before the connection ended. */
function rawPost(sim: OdooSim, path: string, body: string): Promise<{ head: string; body: Buffer }> {
  const { hostname, port } = new URL(sim.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {}); // the reset is the point; 'close' follows
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) reject(new Error(`no complete head in ${all.length} bytes`));
      else resolve({ head: all.subarray(0, end + 2).toString('latin1'), body: all.subarray(end + 4) });
    });
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nAuthorization: bearer ${sim.credentials.apiKey}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** A JSON-2 read through Node's fetch, body included. */
async function json2Fetch(sim: OdooSim, route: string): Promise<unknown> {
  const res = await fetch(`${sim.url}/json/2/${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `bearer ${sim.credentials.apiKey}` },
    body: JSON.stringify({ domain: [], fields: ['name'] }),
  });
  return res.json();
}

/** The `code`s along the cause chain of the failure of `promise` (which must fail). */
async function failureCodes(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (failure: unknown) => failure,
  );
  const codes: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}
