import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  OdooAccessError,
  OdooAuthError,
  OdooModelNotFoundError,
  OdooServerError,
  OdooTransportError,
  OdooValidationError,
} from '../src/index.js';
import { clientOf, countingFetch, HTTP_PATHS, memoryLogger, PROTOCOLS, rejectionOf, startSim } from './helpers.js';

describe.each(PROTOCOLS)('OdooClient over %s against odoo-sim', (protocol) => {
  describe('reading and writing', () => {
    it('authenticates lazily, once, even for concurrent first calls', async () => {
      const sim = await startSim();
      const counter = countingFetch();
      const client = clientOf(sim, protocol, { fetch: counter.fetch });
      expect(counter.count()).toBe(0);
      const [a, b, uid] = await Promise.all([
        client.searchCount('res.partner'),
        client.searchCount('res.users'),
        client.authenticate(),
      ]);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      expect(uid).toBe(sim.credentials.uid);
      const logins = protocol === 'xmlrpc' ? counter.count('/xmlrpc/2/common') : counter.count('context_get');
      expect(logins).toBe(1);
      await client.searchCount('res.partner');
      expect(protocol === 'xmlrpc' ? counter.count('/xmlrpc/2/common') : counter.count('context_get')).toBe(1);
    });

    it('learns its uid even from a server without res.users/context_get (JSON-2 falls back to its login)', async () => {
      const sim = await startSim();
      // A server that lacks the method answers as Odoo does for any unknown method.
      const client = clientOf(sim, protocol, {
        fetch: (input, init) => globalThis.fetch(input.replace('/res.users/context_get', '/res.users/no_context_get'), init),
      });
      expect(await client.authenticate()).toBe(sim.credentials.uid);
      expect(await client.searchCount('res.users')).toBeGreaterThan(0);
    });

    it('searchRead returns the rows of the domain with the asked fields, paged as asked', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol);
      const all = await client.searchRead('res.partner', [['is_company', '=', true]], { fields: ['name', 'is_company'], order: 'id asc' });
      const expected = sim.searchRead('res.partner', [['is_company', '=', true]], { fields: ['name'], order: 'id asc' });
      expect(all.map((row) => row.id)).toEqual(expected.map((row) => row.id));
      for (const row of all) expect(Object.keys(row).sort()).toEqual(['id', 'is_company', 'name']);
      const page = await client.searchRead('res.partner', [['is_company', '=', true]], { fields: ['name'], order: 'id asc', limit: 2, offset: 1 });
      expect(page.map((row) => row.id)).toEqual(all.slice(1, 3).map((row) => row.id));
    });

    it('hides archived records unless the context says active_test: false', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol);
      const id = sim.create('res.partner', { name: 'Archived Ana', active: false });
      expect(await client.search('res.partner', [['id', '=', id]])).toEqual([]);
      expect(await client.search('res.partner', [['id', '=', id]], { context: { active_test: false } })).toEqual([id]);
    });

    it('creates, reads, writes and unlinks records', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol);
      const id = await client.create('res.partner', { name: 'Zoë Ünal', email: 'ZOE@example.com', is_company: false });
      const ids = await client.create('res.partner', [{ name: 'One' }, { name: 'Two' }]);
      expect(ids).toHaveLength(2);
      expect(await client.write('res.partner', [id], { phone: '+33 1 23 45 67 89' })).toBe(true);
      const [row] = await client.read('res.partner', [id], { fields: ['name', 'email', 'phone'] });
      expect(row).toEqual({ id, name: 'Zoë Ünal', email: 'ZOE@example.com', phone: '+33 1 23 45 67 89' });
      expect(await client.unlink('res.partner', [id, ...ids])).toBe(true);
      expect(await client.search('res.partner', [['id', 'in', [id, ...ids]]], { context: { active_test: false } })).toEqual([]);
    });

    it('normalises values by field type when asked, and leaves raw values otherwise', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol);
      const company = sim.create('res.partner', { name: 'Acme', is_company: true });
      const person = sim.create('res.partner', { name: 'Bo', is_company: false, email: false, parent_id: company });
      const fields = ['name', 'email', 'is_company', 'parent_id', 'write_date', 'active'];
      const [raw] = await client.read('res.partner', [person], { fields });
      expect(raw).toMatchObject({ email: false, is_company: false, parent_id: [company, 'Acme'], active: true });
      expect(raw!['write_date']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const [row] = await client.searchRead('res.partner', [['id', '=', person]], { fields, normalize: true });
      expect(row).toMatchObject({ email: null, is_company: false, parent_id: { id: company, name: 'Acme' }, active: true });
      expect(row!['write_date']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      const [companyRow] = await client.read('res.partner', [company], { fields, normalize: true });
      expect(companyRow).toMatchObject({ parent_id: null, is_company: true });
    });

    it('fieldsGet describes the fields; modelFields caches them per model', async () => {
      const sim = await startSim();
      const counter = countingFetch();
      const client = clientOf(sim, protocol, { fetch: counter.fetch });
      const fields = await client.fieldsGet('res.partner', { attributes: ['type', 'relation'] });
      expect(fields['parent_id']).toMatchObject({ type: 'many2one', relation: 'res.partner' });
      expect(fields['is_company']?.type).toBe('boolean');
      const before = counter.count();
      await Promise.all([client.modelFields('res.partner'), client.modelFields('res.partner')]);
      await client.modelFields('res.partner');
      expect(counter.count() - before).toBe(1);
    });

    it('calls any method generically with ids and kwargs', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol);
      const id = sim.create('res.partner', { name: 'Generic' });
      const rows = await client.call<Array<{ id: number; name: string }>>('res.partner', 'read', [[id]], { fields: ['name'] });
      expect(rows).toEqual([{ id, name: 'Generic' }]);
      const found = await client.call<number[]>('res.partner', 'search', [], { domain: [['id', '=', id]] });
      expect(found).toEqual([id]);
    });

    it('reports the server version', async () => {
      const sim = await startSim();
      const version = await clientOf(sim, protocol).version();
      expect(version.major).toBe(19);
      expect(version.version).toMatch(/^19\.0/);
    });
  });

  describe('errors', () => {
    it('maps a wrong API key to odoo_auth_failed, not retried', async () => {
      const sim = await startSim();
      const counter = countingFetch();
      const client = clientOf(sim, protocol, { apiKey: 'wrong-key-0123456789', fetch: counter.fetch });
      const error = await rejectionOf(client.searchRead('res.partner', [], { fields: ['name'] }));
      expect(error).toBeInstanceOf(OdooAuthError);
      expect(error).toMatchObject({ code: 'odoo_auth_failed', retryable: false, cooldown: false });
      expect(counter.count()).toBe(1);
    });

    it('maps a model whose module is not installed to odoo_model_not_found', async () => {
      const sim = await startSim();
      sim.faults.uninstall('crm.lead');
      const client = clientOf(sim, protocol);
      const error = await rejectionOf(client.searchRead('crm.lead', [], { fields: ['name'] }));
      expect(error).toBeInstanceOf(OdooModelNotFoundError);
      expect(error).toMatchObject({ code: 'odoo_model_not_found', model: 'crm.lead', retryable: false });
      sim.faults.reinstall('crm.lead');
      expect(await client.searchCount('crm.lead', [], { context: { active_test: false } })).toBeGreaterThan(0);
    });

    it('maps a missing record to odoo_validation_failed', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol);
      const error = await rejectionOf(client.write('res.partner', [999_999], { name: 'Ghost' }));
      expect(error).toBeInstanceOf(OdooValidationError);
      expect(error).toMatchObject({ code: 'odoo_validation_failed', retryable: false });
    });

    it('maps an unknown field to odoo_server_error, with the traceback in debug only', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol);
      const error = await rejectionOf(client.searchRead('res.partner', [], { fields: ['no_such_field'] }));
      expect(error).toBeInstanceOf(OdooServerError);
      expect(error).toMatchObject({ code: 'odoo_server_error', retryable: false });
      expect(error.message).not.toMatch(/Traceback/);
      expect(JSON.stringify(error)).not.toMatch(/Traceback/);
      expect((error as unknown as OdooServerError).debug ?? '').toMatch(/Traceback|no_such_field/);
    });

    it('maps missing rights to odoo_access_denied', async () => {
      const sim = await startSim({ users: [{ login: 'sales@example.com', password: 'pw', apiKey: 'sales-key-0123456789', deniedModels: ['hr.employee'] }] });
      const client = clientOf(sim, protocol, { username: 'sales@example.com', apiKey: 'sales-key-0123456789' });
      const error = await rejectionOf(client.searchRead('hr.employee', [], { fields: ['name'] }));
      expect(error).toBeInstanceOf(OdooAccessError);
      expect(error).toMatchObject({ code: 'odoo_access_denied', retryable: false });
      expect(await client.searchCount('res.partner')).toBeGreaterThan(0);
    });
  });

  describe.each(HTTP_PATHS)('transient failures through %s', (path, http) => {
    it('retries an HTML 502 from a proxy and succeeds', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol, http);
      await client.authenticate();
      sim.faults.html502(2);
      expect(await client.searchCount('res.partner')).toBeGreaterThan(0);
    });

    it('says the server answered HTML, with the status, when 502s do not stop', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol, { retries: 1, ...http });
      await client.authenticate();
      sim.faults.html502(10);
      const error = await rejectionOf(client.searchCount('res.partner'));
      expect(error).toBeInstanceOf(OdooTransportError);
      expect(error).toMatchObject({ code: 'odoo_transport_failed', status: 502, retryable: true });
      expect(error.message).toContain(`The server answered HTML, not ${protocol === 'xmlrpc' ? 'XML-RPC' : 'JSON-2'}`);
      expect(error.message).toContain('HTTP 502');
      expect(error.message).not.toMatch(/Unknown XML-RPC tag/);
    });

    it('retries a connection dropped mid-answer and succeeds', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol, http);
      await client.authenticate();
      sim.faults.dropConnections(2);
      expect(await client.searchRead('res.partner', [], { fields: ['name'], limit: 5 })).toHaveLength(5);
    });

    it('does not resend a create whose answer was dropped', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol, http);
      await client.authenticate();
      const before = sim.count('res.partner', [['active', 'in', [true, false]]]);
      sim.faults.dropConnections(1);
      const error = await rejectionOf(client.create('res.partner', { name: 'Once' }));
      expect(error).toMatchObject({ code: 'odoo_transport_failed', retryable: true });
      expect(sim.count('res.partner', [['active', 'in', [true, false]]]) - before).toBe(1);
    });

    it('fails with a retryable odoo_transport_failed after the timeout', async () => {
      const sim = await startSim();
      // Long enough for the login on a loaded machine, short next to the injected latency.
      const client = clientOf(sim, protocol, { timeoutMs: 1000, retries: 0, ...http });
      await client.authenticate();
      sim.faults.latency(10_000);
      const error = await rejectionOf(client.searchCount('res.partner'));
      expect(error).toBeInstanceOf(OdooTransportError);
      expect(error).toMatchObject({ code: 'odoo_transport_failed', retryable: true });
      expect(error.message).toMatch(/did not answer .* within 1000 ms/);
    });

    it('rejects with the abort reason when the caller aborts, and stops retrying', async () => {
      const sim = await startSim();
      const counter = countingFetch();
      // The node:http path cannot be counted from outside: it is checked for the abort reason only.
      const client = clientOf(sim, protocol, path === 'fetch' ? { fetch: counter.fetch } : http);
      await client.authenticate();
      sim.faults.latency(2000);
      const controller = new AbortController();
      const pending = client.searchCount('res.partner', [], { signal: controller.signal });
      const reason = new Error('stop now');
      setTimeout(() => controller.abort(reason), 30);
      expect(await rejectionOf(pending)).toBe(reason);
      const sent = counter.count();
      expect(await rejectionOf(client.searchCount('res.partner', [], { signal: AbortSignal.abort(reason) }))).toBe(reason);
      if (path === 'fetch') expect(counter.count()).toBe(sent);
    });

    it('rejects every call after close()', async () => {
      const sim = await startSim();
      const client = clientOf(sim, protocol, http);
      await client.close();
      await client.close();
      const error = await rejectionOf(client.searchCount('res.partner'));
      expect(error).toMatchObject({ code: 'odoo_transport_failed', retryable: false });
    });
  });

  describe('secrets', () => {
    it('never shows the API key in errors, logs, JSON or inspect output', async () => {
      const sim = await startSim();
      const logger = memoryLogger();
      const badKey = 'bad-key-abcdef0123456789';
      const good = clientOf(sim, protocol, { logger });
      const bad = clientOf(sim, protocol, { apiKey: badKey, logger });
      await good.searchCount('res.partner');
      sim.faults.html502(1);
      await good.searchCount('res.partner');
      const errors = [
        await rejectionOf(bad.searchCount('res.partner')),
        await rejectionOf(good.searchRead('res.partner', [], { fields: ['no_such_field'] })),
      ];
      const outputs = [
        ...errors.flatMap((error) => [error.message, String(error['hint'] ?? ''), String(error['debug'] ?? ''), JSON.stringify(error), inspect(error, { depth: 5 })]),
        ...logger.lines,
        JSON.stringify(good),
        inspect(good, { depth: 5, showHidden: true }),
        inspect(bad, { depth: 5, showHidden: true }),
        String(good),
      ];
      expect(logger.lines.length).toBeGreaterThan(0);
      for (const text of outputs) {
        expect(text).not.toContain(sim.credentials.apiKey);
        expect(text).not.toContain(badKey);
      }
    });
  });
});

describe('login cooldown (XML-RPC)', () => {
  it('reports a call refused during the cooldown as retryable, and retries it', async () => {
    const sim = await startSim();
    const failing = clientOf(sim, 'xmlrpc', { retries: 0 });
    await failing.authenticate();
    sim.faults.loginCooldown(true);
    const error = await rejectionOf(failing.searchCount('res.partner'));
    expect(error).toBeInstanceOf(OdooAuthError);
    expect(error).toMatchObject({ code: 'odoo_auth_failed', cooldown: true, retryable: true });

    const patient = clientOf(sim, 'xmlrpc', { retries: 8, retryMinTimeoutMs: 20, retryMaxTimeoutMs: 20 });
    sim.faults.loginCooldown(false);
    await patient.authenticate();
    sim.faults.loginCooldown(true);
    const pending = patient.searchCount('res.partner');
    setTimeout(() => sim.faults.loginCooldown(false), 40);
    expect(await pending).toBeGreaterThan(0);
  });

  it('cannot tell a login refused during the cooldown from bad credentials (Odoo answers false)', async () => {
    const sim = await startSim();
    sim.faults.loginCooldown(true);
    const error = await rejectionOf(clientOf(sim, 'xmlrpc').authenticate());
    expect(error).toMatchObject({ code: 'odoo_auth_failed', retryable: false });
  });
});

describe('protocol detection', () => {
  it('picks JSON-2 on Odoo 19 with an API key', async () => {
    const sim = await startSim({ version: '19.0' });
    expect(await clientOf(sim, 'auto').resolveProtocol()).toBe('json2');
  });

  it('picks XML-RPC on Odoo 17', async () => {
    const sim = await startSim({ version: '17.0' });
    const client = clientOf(sim, 'auto');
    expect(await client.resolveProtocol()).toBe('xmlrpc');
    expect(await client.searchCount('res.partner')).toBeGreaterThan(0);
  });

  it('picks XML-RPC without an API key, without asking', async () => {
    const sim = await startSim({ version: '19.0' });
    const counter = countingFetch();
    const client = clientOf(sim, 'auto', { apiKey: undefined, password: sim.credentials.password, fetch: counter.fetch });
    expect(await client.resolveProtocol()).toBe('xmlrpc');
    expect(counter.count()).toBe(0);
    expect(await client.authenticate()).toBe(sim.credentials.uid);
  });

  it('says JSON-2 is missing on Odoo 17 when asked for it', async () => {
    const sim = await startSim({ version: '17.0' });
    const error = await rejectionOf(clientOf(sim, 'json2').searchCount('res.partner'));
    expect(error).toMatchObject({ code: 'odoo_transport_failed', status: 404, retryable: false });
  });

  it('authenticates again with a rotated API key', async () => {
    const sim = await startSim();
    const client = clientOf(sim, 'auto', { apiKey: 'expired-key-0000000000' });
    await rejectionOf(client.searchCount('res.partner'));
    client.setApiKey(sim.credentials.apiKey);
    expect(await client.searchCount('res.partner')).toBeGreaterThan(0);
  });
});
