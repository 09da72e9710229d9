import { describe, expect, it } from 'vitest';
import { executeKw, json2, useSim, xmlrpc, xmlrpcFault } from './helpers.js';

describe('fault injection', () => {
  it('latency(ms) delays answers; close() does not wait for them', async () => {
    const sim = await useSim({ version: '19.0' });
    sim.faults.latency(5_000);
    const aborted = await fetch(`${sim.url}/web/version`, { signal: AbortSignal.timeout(100) }).catch((error: unknown) => error);
    expect(aborted).toBeInstanceOf(Error);
    expect((aborted as Error).name).toBe('TimeoutError');
    const pending = fetch(`${sim.url}/web/version`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
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
  });
});
